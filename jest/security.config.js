// Security tier: hostile traffic against the running test stack (gateway, services, simulator,
// Kafka, PostgreSQL), one file at a time; the sequencer runs the canary sweep last.
module.exports = require('./base.config')('security-spec', {
  testTimeout: 600000,
  maxWorkers: 1,
  forceExit: true,
  setupFilesAfterEnv: ['<rootDir>/jest/e2e.setup.ts'],
  testSequencer: '<rootDir>/jest/security.sequencer.js',
});
