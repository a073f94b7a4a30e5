export * from './integration-runtime-config';
export * from './integration-ref';
export * from './integration-not-found';
export * from './integration-config.api';
export * from './integration-lookup';
export * from './integration-config-changed.consumer';
