import { deterministicUuid } from '@incident-sync/contracts';

/** Id of the platform command carrying the domain write `domainCommandId`. */
export const platformCommandUuid = (domainCommandId: string): string => deterministicUuid(`platform:${domainCommandId}`);
/** Id of the PagerDuty command carrying the domain write `domainCommandId` (`part` for follow-ups). */
export const pagerDutyCommandUuid = (domainCommandId: string, part = 'main'): string => deterministicUuid(`pagerduty:${domainCommandId}:${part}`);
/** Public (URL-safe) id of the domain conflict `<linkId>/conflict/<seq>`. */
export const conflictUuid = (domainConflictId: string): string => deterministicUuid(`conflict:${domainConflictId}`);
