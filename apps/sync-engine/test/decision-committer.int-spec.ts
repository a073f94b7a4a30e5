import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Topic } from '@incident-sync/contracts';
import { createServiceDataSource, withSearchPath } from '@incident-sync/persistence';
import { decideOutbound, planCreateInPagerDuty, type IntegrationSettings } from '@incident-sync/sync-domain';
import { testStack } from '@incident-sync/testing';
import { DecisionCommitter } from '../src/decision-committer.service';
import { IncidentLinkEntity } from '../src/incident-link.entity';
import { IncidentLinkRepository } from '../src/incident-link.repository';
import { InboundProgressEntity } from '../src/inbound-progress.entity';
import { MIGRATIONS } from '../src/sync-engine.module';
import { OutboundWriteEntity } from '../src/outbound-write.entity';
import { PdUserEntity } from '../src/pd-user.entity';
import { SyncConflictEntity } from '../src/sync-conflict.entity';
import { SyncDecisionEntity } from '../src/sync-decision.entity';
import { UnknownUserEntity } from '../src/unknown-user.entity';

/**
 * The committer against real Postgres (the test stack's database, a throw-away schema): one
 * transaction holds the link state, the history and the outbox rows, and a decision
 * recomputed after a crash issues its PagerDuty command once.
 */
describe('DecisionCommitter with Postgres (int)', () => {
  const schema = `sync_engine_it_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  const committer = new DecisionCommitter(new IncidentLinkRepository());
  const settings: IntegrationSettings = {
    integrationId: 'int-1', direction: 'bidirectional', enabled: true, conflictStrategy: 'ownership-priority', priorityMapping: { P2: 'SEV-2' },
    userMapping: { emailToPagerDuty: {}, pagerDutyToEmail: {} }, botUserId: 'PBOT', syncEscalations: true,
  };

  beforeAll(async () => {
    dataSource = await createServiceDataSource({
      url: withSearchPath(testStack.databaseUrl, schema), schema, poolSize: 3,
      entities: [IncidentLinkEntity, SyncDecisionEntity, SyncConflictEntity, PdUserEntity, UnknownUserEntity, OutboundWriteEntity, InboundProgressEntity],
      migrations: MIGRATIONS,
    });
  });

  afterAll(async () => {
    await dataSource?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await dataSource?.destroy();
  });

  it('commits state, history and one outbox command per domain write, even when the same decision is committed twice', async () => {
    const platformIncidentId = randomUUID();
    const linkId = randomUUID();
    const at = Date.parse('2026-11-26T12:00:00.000Z');
    const plan = planCreateInPagerDuty({ linkId, incidentKey: platformIncidentId, incident: { version: 1, occurredAt: at, fields: { title: 'a', description: null, severity: 'SEV-2', status: 'open', assigned_to: null, escalation_policy: null } } }, settings, at);
    const link = Object.assign(new IncidentLinkEntity(), {
      id: linkId, organizationId: 'org-1', integrationId: 'int-1', platformIncidentId, pdIncidentId: 'PINC1', pdIncidentNumber: 1, pdHtmlUrl: null,
      state: plan.state!, createdAt: new Date(at), lastSyncedAt: null, lastDirection: null,
    });
    await dataSource.transaction((em) => new IncidentLinkRepository().insert(em, link));
    const decision = decideOutbound(plan.state!, { version: 2, occurredAt: at + 1000, origin: { type: 'api', actor: 'k' }, changes: { title: { old: 'a', new: 'b' } } }, settings, at + 1000);
    expect(decision.externalWrite?.update.title).toBe('b');

    const commit = () => dataSource.transaction(async (em) => {
      const locked = await new IncidentLinkRepository().lockById(em, linkId);
      await committer.commit(em, { link: locked!, before: plan.state!, decision, settings, source: { kind: 'platform-change', id: 'evt-1', eventType: 'platform.updated' }, priorityId: (k) => k, now: new Date(at + 1000) });
    });
    await commit();
    await commit();

    const outbox: { topic: string; payload: string }[] = await dataSource.query(`SELECT "topic", "payload" FROM "${schema}"."outbox_message" WHERE "topic" = $1`, [Topic.PagerDutyCommands]);
    expect(outbox).toHaveLength(1);
    expect(JSON.parse(outbox[0]!.payload)).toMatchObject({ action: 'update_incident', pdIncidentId: 'PINC1', platformIncidentId, update: { title: 'b' } });
    const journal = await dataSource.getRepository(OutboundWriteEntity).find({ where: { linkId } });
    expect(journal.map((w) => [w.domainCommandId, w.settledAt])).toEqual([[decision.externalWrite!.commandId, null]]);
    const saved = await dataSource.getRepository(IncidentLinkEntity).findOneByOrFail({ id: linkId });
    expect(saved.state.fields.title.pending.external.map((w) => w.value)).toContain('b');
    expect(saved.lastDirection).toBe('outbound');
    const history = await dataSource.getRepository(SyncDecisionEntity).find({ where: { linkId } });
    expect(history.some((d) => d.field === 'title' && d.outcome === 'applied' && d.reason.length > 0)).toBe(true);
  });

  it('a rolled-back transaction leaves neither state nor history nor outbox rows', async () => {
    const before = Number((await dataSource.query(`SELECT count(*) AS n FROM "${schema}"."sync_decision"`))[0].n);
    await expect(dataSource.transaction(async (em) => {
      await committer.recordDecisions(em, { id: null, organizationId: 'org-1', integrationId: 'int-1', platformIncidentId: null, pdIncidentId: 'PX' }, [{ field: null, side: 'external', outcome: 'ignored-event', reason: 'r' }], { kind: 'webhook', id: 'e', eventType: 'x' }, new Date());
      throw new Error('crash before commit');
    })).rejects.toThrow('crash before commit');
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM "${schema}"."sync_decision"`))[0].n)).toBe(before);
  });
});
