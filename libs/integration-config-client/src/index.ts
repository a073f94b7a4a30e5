export * from './integration-runtime-config';
export * from './integration-config.client';
