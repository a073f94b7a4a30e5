import { pendingChangesAfterMigrations } from '@incident-sync/testing';
import { MIGRATIONS, PERSISTED_ENTITIES } from '../src/webhook-ingress.module';

describe('webhook-ingress database schema', () => {
  it('is exactly what its committed migrations create: no entity changed without a migration', async () => {
    expect(await pendingChangesAfterMigrations(PERSISTED_ENTITIES, MIGRATIONS)).toEqual([]);
  });
});
