/**
 * Which priority a mapping key ("P1" or an id) means on one PagerDuty account (pure).
 *
 * PagerDuty lists priorities most to least severe (FACTS §2.4). Names need not be unique,
 * and where a write names a priority, the highest priority with that name wins (FACTS §2.3):
 * a name therefore resolves to the FIRST listed priority that has it. An account without
 * priorities (no `priorities` ability, GET /priorities answering 402, or an empty list: the
 * feature is not enabled) must never receive one (FACTS §3.12).
 */

/**
 * A mapping key → the PagerDuty priority id to send; `null` (clear the priority) stays null.
 * `undefined` means "send no priority at all": the account has none.
 */
export type PriorityResolver = (key: string | null) => string | null | undefined;

/** What one account answered, cached per integration. */
export type AccountPriorities = { available: false } | { available: true; idByKey: ReadonlyMap<string, string> };

export const NO_PRIORITIES: AccountPriorities = { available: false };

/** The account's priorities in PagerDuty's order → key lookup; an empty list means the account has none. */
export function accountPriorities(listed: readonly { id: string; name: string }[]): AccountPriorities {
  if (listed.length === 0) return NO_PRIORITIES;
  const idByKey = new Map<string, string>();
  for (const p of listed) {
    if (!idByKey.has(p.name)) idByKey.set(p.name, p.id);
  }
  // Ids win over a name that happens to look like another priority's id.
  for (const p of listed) idByKey.set(p.id, p.id);
  return { available: true, idByKey };
}

/**
 * The resolver for an account: names → the highest priority with that name; ids and keys the
 * account does not list go out as given (PagerDuty answers 1020 Invalid Priority, reported as a
 * failed write); on an account without priorities, nothing is sent, not even a clear.
 */
export function priorityResolver(account: AccountPriorities): PriorityResolver {
  if (!account.available) return () => undefined;
  return (key) => (key === null ? null : account.idByKey.get(key) ?? key);
}

/** Keys go out unchanged: for paths that never write a priority. */
export const KEYS_AS_GIVEN: PriorityResolver = (key) => key;
