// Integration tier: real PostgreSQL and Kafka from the test stack (scripts/test-stack.sh).
module.exports = require('./base.config')('int-spec', { testTimeout: 60000, maxWorkers: 2, forceExit: true });
