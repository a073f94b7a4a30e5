/**
 * When our write landed on PagerDuty, in PagerDuty's clock, as the stamp a write confirmation
 * carries into the link state (compared with webhook `occurred_at`, which has milliseconds).
 *
 * PagerDuty's REST `updated_at` has second precision (`2015-10-06T21:30:42Z`, FACTS §2): a write
 * it stamps `…:22Z` landed somewhere in [22.000, 23.000), and no later than our dispatcher got
 * the answer (`completedAt`). Taking the second's start made a webhook from 22.102, sent
 * *before* our write at 22.375, look like a PagerDuty edit made after it: the engine copied that
 * older value over the user's edit (outbound-sync e2e, a SEV-3 that came back as SEV-1). So the
 * stamp is the latest moment the write can have landed: "seen after our write" is concluded
 * only when it certainly was. A timestamp with a fraction is taken as it is.
 */
export function landingStamp(updatedAt: string | undefined, completedAt: string): number {
  const completed = Date.parse(completedAt);
  const updated = updatedAt === undefined ? Number.NaN : Date.parse(updatedAt);
  if (!Number.isFinite(updated)) return completed;
  if (/\.\d+/.test(updatedAt as string)) return updated;
  const endOfSecond = updated + 999;
  return Number.isFinite(completed) ? Math.max(updated, Math.min(endOfSecond, completed)) : endOfSecond;
}
