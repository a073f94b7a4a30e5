module.exports = require('./base.config')('spec');
