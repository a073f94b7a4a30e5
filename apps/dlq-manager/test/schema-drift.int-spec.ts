import { pendingChangesAfterMigrations } from '@incident-sync/testing';
import { MIGRATIONS, PERSISTED_ENTITIES } from '../src/dlq-manager.module';

describe('dlq-manager database schema', () => {
  it('is exactly what its committed migrations create: no entity changed without a migration', async () => {
    expect(await pendingChangesAfterMigrations(PERSISTED_ENTITIES, MIGRATIONS)).toEqual([]);
  });
});
