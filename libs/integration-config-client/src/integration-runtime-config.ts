import type { IntegrationRuntimeConfig } from '@incident-sync/contracts';

// The contract itself lives in libs/contracts (libs/testing's stand-in speaks it too).
export { INTEGRATION_SUMMARY_FIELDS, type IntegrationRuntimeConfig, type IntegrationSummary } from '@incident-sync/contracts';
export type SyncDirection = IntegrationRuntimeConfig['syncDirection'];
export type ConflictStrategy = IntegrationRuntimeConfig['conflictStrategy'];
