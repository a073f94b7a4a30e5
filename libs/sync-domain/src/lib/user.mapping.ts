import type { UserMapping } from './integration-settings';

/** PagerDuty user id for a platform email, or undefined when the user is not mapped. */
export function pagerDutyUserForEmail(email: string, mapping: UserMapping): string | undefined {
  const wanted = email.toLowerCase();
  // Keys are lower-case when built with userMappingFromPairs; a hand-built mapping may not be.
  const key = Object.keys(mapping.emailToPagerDuty).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : mapping.emailToPagerDuty[key];
}

/** Platform email for a PagerDuty user id, or undefined when the user is not mapped. */
export function emailForPagerDutyUser(userId: string, mapping: UserMapping): string | undefined {
  return Object.prototype.hasOwnProperty.call(mapping.pagerDutyToEmail, userId)
    ? mapping.pagerDutyToEmail[userId]
    : undefined;
}

export function sameEmail(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return a.toLowerCase() === b.toLowerCase();
}
