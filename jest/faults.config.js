// Fault tier (issue #13): the whole stack as separate processes under injected faults, started
// by scripts/faults.sh on its own Kafka broker and PostgreSQL cluster. `npm run test:faults`.
module.exports = require('./base.config')('faults-spec', { testTimeout: 45 * 60 * 1000, maxWorkers: 1, forceExit: true });
