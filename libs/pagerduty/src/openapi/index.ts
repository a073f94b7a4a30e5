// Test-time tooling: loads the 2.7 MB official document. Not exported from the runtime
// library index (libs/pagerduty/src/index.ts) so services never load it.
export * from './pagerduty-openapi.validator';
export { patchPagerDutyOpenApi, ERROR_SCHEMA_REF } from './pagerduty-openapi.patches';
export type { PatchReport } from './pagerduty-openapi.patches';
