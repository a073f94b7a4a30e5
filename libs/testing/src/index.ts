export * from './test-stack';
export * from './wait-for';
export * from './api-client';
export * from './topic-collector';
export * from './topic-watcher';
export * from './integration-config-stand-in';
export * from './slow-answer-proxy';
export * from './schema-drift';
