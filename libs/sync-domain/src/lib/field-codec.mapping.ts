import type { IntegrationSettings } from './integration-settings';
import {
  priorityForSeverity,
  severityForPriority,
} from './priority-severity.mapping';
import { severityForUrgency, urgencyForSeverity } from './severity-urgency.mapping';
import { pagerDutyStatusFor, platformStatusFor } from './status.mapping';
import type {
  ExternalFieldValues,
  PagerDutySeverity,
  PlatformFieldValues,
  SyncField,
} from './sync-field.types';
import { emailForPagerDutyUser, pagerDutyUserForEmail, sameEmail } from './user.mapping';

/** A mapping either succeeds or names why it cannot (never guesses). */
export type MapResult<T> =
  | { ok: true; value: T }
  | { ok: false; outcome: 'unknown-user'; reason: string };

/** What an inbound interpretation may look at besides the new PagerDuty value. */
export interface InterpretContext<F extends SyncField> {
  /** PagerDuty's value before this change, as last observed (null if never observed). */
  previous: ExternalFieldValues[F] | null;
  /** The platform value the link is driving towards (null if unknown). */
  current: PlatformFieldValues[F] | null;
  /** The event itself says the priority changed (`incident.priority_updated`). */
  priorityChanged: boolean;
}

/**
 * Everything the decision engine needs to know about one field: equality on each side,
 * the mapping in both directions and how to show values to an operator.
 */
export interface FieldCodec<F extends SyncField> {
  eqPlatform(a: PlatformFieldValues[F], b: PlatformFieldValues[F]): boolean;
  /** Equality as far as sync is concerned (e.g. two priorities mapped to one severity are equal). */
  eqExternal(a: ExternalFieldValues[F], b: ExternalFieldValues[F], settings: IntegrationSettings): boolean;
  toExternal(value: PlatformFieldValues[F], settings: IntegrationSettings): MapResult<ExternalFieldValues[F]>;
  fromExternal(
    value: ExternalFieldValues[F],
    context: InterpretContext<F>,
    settings: IntegrationSettings,
  ): MapResult<PlatformFieldValues[F]>;
  /**
   * The PagerDuty value to drive towards after PagerDuty itself produced `value`, which was
   * read as `platformValue`: PagerDuty's own value, adjusted only where it contradicts the
   * platform value (e.g. urgency re-aligned with the severity taken from the priority).
   */
  align(
    value: ExternalFieldValues[F],
    platformValue: PlatformFieldValues[F],
    settings: IntegrationSettings,
  ): ExternalFieldValues[F];
  describePlatform(value: PlatformFieldValues[F]): string;
  describeExternal(value: ExternalFieldValues[F]): string;
}

const ok = <T>(value: T): MapResult<T> => ({ ok: true, value });
const same = <T>(a: T, b: T): boolean => a === b;
const quoted = (value: string | null): string => (value === null ? '(none)' : JSON.stringify(value));

function identityCodec<F extends 'title' | 'description' | 'escalation_policy'>(
  describe: (value: string | null) => string,
): FieldCodec<F> {
  return {
    eqPlatform: same,
    eqExternal: same,
    toExternal: (value) => ok(value as ExternalFieldValues[F]),
    fromExternal: (value) => ok(value as PlatformFieldValues[F]),
    align: (value) => value,
    describePlatform: (value) => describe(value),
    describeExternal: (value) => describe(value),
  };
}

const severityCodec: FieldCodec<'severity'> = {
  eqPlatform: same,
  eqExternal: (a, b, settings) =>
    a.urgency === b.urgency &&
    severityForPriority(a.priority, settings.priorityMapping) ===
      severityForPriority(b.priority, settings.priorityMapping),
  toExternal: (severity, settings) =>
    ok({
      urgency: urgencyForSeverity(severity),
      priority: priorityForSeverity(severity, settings.priorityMapping),
    }),
  fromExternal: (value, context, settings) => {
    // Whichever PagerDuty part changed drives the severity; when both (or neither) changed,
    // a mapped priority is the more specific signal.
    const previous = context.previous;
    const priorityMoved = previous === null || previous.priority !== value.priority;
    const urgencyMoved = previous !== null && previous.urgency !== value.urgency;
    const usePriority = context.priorityChanged || priorityMoved || !urgencyMoved;
    const fromPriority = severityForPriority(value.priority, settings.priorityMapping);
    if (usePriority && fromPriority !== undefined) return ok(fromPriority);
    return ok(severityForUrgency(value.urgency, context.current));
  },
  align: (value, severity, settings): PagerDutySeverity => {
    const mapped = severityForPriority(value.priority, settings.priorityMapping);
    return {
      urgency: urgencyForSeverity(severity),
      priority:
        mapped === undefined || mapped === severity
          ? value.priority
          : priorityForSeverity(severity, settings.priorityMapping),
    };
  },
  describePlatform: (severity) => severity,
  describeExternal: (value) =>
    `urgency ${value.urgency}, ${value.priority === null ? 'no priority' : `priority ${value.priority}`}`,
};

const statusCodec: FieldCodec<'status'> = {
  eqPlatform: same,
  eqExternal: same,
  toExternal: (status) => ok(pagerDutyStatusFor(status)),
  fromExternal: (status, context) => ok(platformStatusFor(status, context.current)),
  align: (status) => status,
  describePlatform: (status) => status,
  describeExternal: (status) => status,
};

const assigneeCodec: FieldCodec<'assigned_to'> = {
  eqPlatform: sameEmail,
  eqExternal: same,
  toExternal: (email, settings) => {
    if (email === null) return ok(null);
    const userId = pagerDutyUserForEmail(email, settings.userMapping);
    return userId === undefined
      ? {
          ok: false,
          outcome: 'unknown-user',
          reason: `${email} has no PagerDuty user in the user mapping, so the assignment is not sent to PagerDuty`,
        }
      : ok(userId);
  },
  fromExternal: (userId, _context, settings) => {
    if (userId === null) return ok(null);
    const email = emailForPagerDutyUser(userId, settings.userMapping);
    return email === undefined
      ? {
          ok: false,
          outcome: 'unknown-user',
          reason: `PagerDuty user ${userId} is not in the user mapping, so the assignment is not copied to the platform`,
        }
      : ok(email);
  },
  align: (userId) => userId,
  describePlatform: (email) => email ?? 'nobody',
  describeExternal: (userId) => (userId === null ? 'nobody' : `PagerDuty user ${userId}`),
};

export type FieldCodecs = { [F in SyncField]: FieldCodec<F> };

export const FIELD_CODECS: FieldCodecs = {
  title: identityCodec<'title'>(quoted),
  description: identityCodec<'description'>((value) =>
    value === null ? '(empty)' : JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value),
  ),
  severity: severityCodec,
  status: statusCodec,
  assigned_to: assigneeCodec,
  escalation_policy: identityCodec<'escalation_policy'>((id) =>
    id === null ? 'no escalation policy' : `escalation policy ${id}`,
  ),
};

export function codecFor<F extends SyncField>(field: F): FieldCodec<F> {
  return FIELD_CODECS[field];
}

/**
 * Whether a platform value and a PagerDuty value say the same thing: reading PagerDuty's
 * value with the platform value as context gives the platform value back, and PagerDuty's
 * value needs no re-alignment (e.g. SEV-1 with priority P1 but urgency low is not in sync).
 * This is the definition of "in sync" (and of convergence in the property tests).
 */
export function valuesAgree<F extends SyncField>(
  field: F,
  platformValue: PlatformFieldValues[F],
  externalValue: ExternalFieldValues[F],
  settings: IntegrationSettings,
): boolean {
  const codec = codecFor(field);
  const read = codec.fromExternal(
    externalValue,
    { previous: externalValue, current: platformValue, priorityChanged: false },
    settings,
  );
  return (
    read.ok &&
    codec.eqPlatform(read.value, platformValue) &&
    codec.eqExternal(codec.align(externalValue, platformValue, settings), externalValue, settings)
  );
}
