import { IntegrationRuntimeConfig } from '@incident-sync/integration-config-client';
import { EventPublisher } from '@incident-sync/messaging';
import { BudgetTake } from '@incident-sync/persistence';
import { WorkUnit } from './coalesce-commands';
import { DispatchRepository, StoredCommand } from './dispatch.repository';
import { DispatchSettings } from './dispatch-settings';
import { IntegrationLease } from './integration-lease';
import { IntegrationLeaseRepository } from './integration-lease.repository';
import { PagerDutyClients } from './pagerduty-clients';
import { SharedBudgetHook } from './shared-budget.hook';
import { TokenBucket } from './token-bucket';
import { UnitDispatcher } from './unit-dispatch.service';

const config = { id: '5f0c6c1e-93a2-4b6f-8e2d-41c07a9b3e6d', rateLimitPerMinute: 120, backoffMultiplier: 2 } as IntegrationRuntimeConfig;
const settings: DispatchSettings = { parkLimitMs: 60000, backoffBaseMs: 50, backoffMaxMs: 400, requestTimeoutMs: 2000, pollMs: 100, leaseMs: 1000, retentionDays: 7, consumerGroup: 'g' };

const INTAKE = 'b7cb2927-d995-46d9-84a0-e8bb0adfc013';
const PLATFORM_INCIDENT = '9cc82926-5f59-42b8-a4b4-74e520474df7';
const note = { intakeId: INTAKE, commandId: INTAKE, organizationId: 'org-1', attempts: 0, firstFailedAt: null, command: {} } as unknown as StoredCommand;
const unit: WorkUnit = { action: 'add_note', commands: [note], platformIncidentId: PLATFORM_INCIDENT, attempts: 0, pdIncidentId: 'PD1', content: 'hello' };

/** A lease whose successive fences answer `answers` (then false): false = its token moved on. */
function leaseAnswering(...answers: boolean[]): IntegrationLease & { fence: jest.Mock } {
  const fence = jest.fn(async () => answers.shift() ?? false);
  return { integrationId: config.id, owner: 'me', token: '5', lost: false, claimMs: 7000, fence, release: jest.fn() } as unknown as IntegrationLease & { fence: jest.Mock };
}

function dispatcher(takes: BudgetTake[]): { units: UnitDispatcher; addNote: jest.Mock; tryTakeWrite: jest.Mock; releaseClaim: jest.Mock; transaction: jest.Mock } {
  const addNote = jest.fn(async () => ({ data: {} }));
  const tryTakeWrite = jest.fn(async () => takes.shift() ?? { granted: true });
  const releaseClaim = jest.fn(async () => undefined);
  // The settle transaction (rows, outbox, stats) is the repository's and the int tests' concern.
  const transaction = jest.fn(async () => undefined);
  const repository = { releaseClaim, transaction } as unknown as DispatchRepository;
  const clients = { clientFor: () => ({ addNote }) } as unknown as PagerDutyClients;
  const units = new UnitDispatcher(repository, {} as IntegrationLeaseRepository, clients, {} as EventPublisher, settings, { tryTakeWrite } as unknown as SharedBudgetHook);
  return { units, addNote, tryTakeWrite, releaseClaim, transaction };
}

describe('UnitDispatcher: only the lease holder spends the PagerDuty budget', () => {
  it('a worker whose lease moved on while it waited for its own bucket takes nothing from the shared budget and sends nothing', async () => {
    const d = dispatcher([]);
    const bucket = new TokenBucket(60000);
    bucket.pause(20);
    await d.units.dispatch(config, leaseAnswering(true, false), bucket, unit, new Map());
    expect(d.tryTakeWrite).not.toHaveBeenCalled();
    expect(d.addNote).not.toHaveBeenCalled();
    expect(d.releaseClaim).toHaveBeenCalledWith([INTAKE], '5');
  });

  it('after each wait for the shared budget the worker fences again: a lease lost meanwhile takes no token', async () => {
    const d = dispatcher([{ granted: false, waitMs: 1, paused: false }]);
    const bucket = new TokenBucket(120);
    const before = bucket.available();
    await d.units.dispatch(config, leaseAnswering(true, false), bucket, unit, new Map());
    expect(d.tryTakeWrite).toHaveBeenCalledTimes(1);
    expect(d.addNote).not.toHaveBeenCalled();
    expect(bucket.available()).toBe(before);
  });

  it('the holder takes one token of each budget, fences right before the request, and sends once', async () => {
    const d = dispatcher([{ granted: false, waitMs: 1, paused: false }, { granted: true }]);
    const bucket = new TokenBucket(120);
    const before = bucket.available();
    const lease = leaseAnswering(true, true, true);
    await d.units.dispatch(config, lease, bucket, unit, new Map());
    expect(d.tryTakeWrite).toHaveBeenCalledTimes(2);
    expect(d.addNote).toHaveBeenCalledTimes(1);
    expect(d.addNote).toHaveBeenCalledWith('PD1', 'hello');
    expect(bucket.available()).toBe(before - 1);
    // dispatch's own fence, one after the wait for the shared budget, and the one right before the request.
    expect(lease.fence).toHaveBeenCalledTimes(3);
    expect(d.transaction).toHaveBeenCalledTimes(1);
  });
});
