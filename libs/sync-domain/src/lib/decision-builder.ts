import { syncFlow, type IntegrationSettings, type SyncFlow } from './integration-settings';
import { cloneJson } from './json-clone';
import type { ConflictRecord, LinkState } from './link-state.types';
import type {
  ExternalWrite,
  FieldDecision,
  PlatformWrite,
  SyncDecision,
} from './sync-decision.types';
import type { EpochMs } from './sync-field.types';
import type { TimelineEntry } from './sync-input.types';

/**
 * Collects the outcome of one pure call: a private copy of the state that the call may
 * change, at most one write command per side, timeline entries, conflicts and decisions.
 */
export class DecisionBuilder {
  readonly state: LinkState;
  readonly flow: SyncFlow;
  readonly timeline: TimelineEntry[] = [];
  readonly decisions: FieldDecision[] = [];
  readonly conflictsOpened: ConflictRecord[] = [];
  private platformWrite: PlatformWrite | null = null;
  private externalWrite: ExternalWrite | null = null;

  constructor(
    state: LinkState,
    readonly settings: IntegrationSettings,
    readonly now: EpochMs,
  ) {
    this.state = cloneJson(state);
    this.flow = syncFlow(settings);
  }

  /** Ids are `<linkId>/<seq>` (commands) and `<linkId>/conflict/<seq>`: deterministic and unique per link. */
  allocateId(kind: 'command' | 'conflict'): string {
    const seq = this.state.nextSeq;
    this.state.nextSeq = seq + 1;
    return kind === 'command' ? `${this.state.linkId}/${seq}` : `${this.state.linkId}/conflict/${seq}`;
  }

  platformCommand(): PlatformWrite {
    this.platformWrite ??= { commandId: this.allocateId('command'), set: {}, labels: {} };
    return this.platformWrite;
  }

  externalCommand(): ExternalWrite {
    this.externalWrite ??= { commandId: this.allocateId('command'), update: {}, note: null };
    return this.externalWrite;
  }

  /** The platform write built so far, if any (does not create one). */
  pendingPlatformCommand(): PlatformWrite | null {
    return this.platformWrite;
  }

  record(decision: FieldDecision): void {
    this.decisions.push(decision);
  }

  result(): SyncDecision {
    return {
      state: this.state,
      platformWrite: this.platformWrite,
      externalWrite: this.externalWrite,
      timeline: this.timeline,
      conflictsOpened: this.conflictsOpened,
      decisions: this.decisions,
    };
  }
}
