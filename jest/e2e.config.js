// End-to-end tier: the running services, driven through the gateway, the CLI and the simulator.
module.exports = require('./base.config')('e2e-spec', { testTimeout: 120000, maxWorkers: 1, forceExit: true, setupFilesAfterEnv: ['<rootDir>/jest/e2e.setup.ts'] });
