export * from './webhook-signature';
export * from './pagerduty-api.error';
export * from './pagerduty-types';
export * from './pagerduty.client';
export * from './pagerduty-operation';
export * from './pagerduty-metrics';
