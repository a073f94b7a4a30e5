// Public API of the sync domain: pure rules for keeping a platform incident and a PagerDuty
// incident in sync. See ../README.md for the exact semantics.

// Values and settings
export * from './lib/sync-field.types';
export * from './lib/integration-settings';
export type { TimelineEntry, EventClassification, ExternalChange, PlatformChange, PlatformChangeOrigin, PlatformFieldChanges } from './lib/sync-input.types';
export type * from './lib/sync-decision.types';
export type * from './lib/link-state.types';
export type * from './lib/create-plan.types';

// Mapping tables
export * from './lib/severity-urgency.mapping';
export * from './lib/priority-severity.mapping';
export * from './lib/status.mapping';
export * from './lib/user.mapping';
export { FIELD_CODECS, codecFor, valuesAgree } from './lib/field-codec.mapping';
export type { FieldCodec, MapResult, InterpretContext } from './lib/field-codec.mapping';
export * from './lib/pagerduty-event-type.mapping';
export { descriptionNote } from './lib/description-note';
export { isPlatformValue } from './lib/platform-value.validation';

// Parsing
export { parsePagerDutyEvent, parsePagerDutyIncidentSnapshot } from './lib/parse-pagerduty-event';
export { annotatedDataOf, completeTrimmedNotes, hasTrimmedNote, NOTE_DEDUPE_PREFIX, notesToRepair, pagerDutyNoteIdOf, parsePagerDutyNotes } from './lib/pagerduty-note';
export type { NoteVerdict, PagerDutyNote } from './lib/pagerduty-note';

// Decisions
export { decideInbound } from './lib/decide-inbound';
export { authorshipOf } from './lib/echo-suppression';
export type { ExternalAuthorship } from './lib/echo-suppression';
export { decideOutbound } from './lib/decide-outbound';
export { acknowledgeWrite } from './lib/acknowledge-write';
export type { WriteAcknowledgement } from './lib/acknowledge-write';
export { abandonWrite, type AbandonedWrite } from './lib/abandon-write';
export { skippedPlatformWrite } from './lib/skipped-platform-write';
export { resolveConflict } from './lib/resolve-conflict-by-operator';
export { chooseConflictWinner } from './lib/conflict-choice';
export type { ConflictVerdict } from './lib/conflict-choice';
export { pickOwnerAmong, effectiveFieldOwnership } from './lib/pick-owner-among';
export type { OwnershipClaim } from './lib/pick-owner-among';

// Link lifecycle
export { createLinkState, emptyLinkState } from './lib/create-link-state';
export { planCreateInPagerDuty } from './lib/plan-create-in-pagerduty';
export { planCreateOnPlatform } from './lib/plan-create-on-platform';
export { planPagerDutyMerge } from './lib/pagerduty-merge';
export type { MergePlan, PagerDutyMerge } from './lib/pagerduty-merge';
export type { ServiceMapping, UnmappedServicePolicy } from './lib/plan-create-on-platform';
export { CREATE_UNMAPPED } from './lib/plan-create-on-platform';
