import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Optional, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@incident-sync/persistence';
import { Metrics } from '@incident-sync/service-runtime';
import { EventPublisher } from './event-publisher';

const OUTBOX_SCHEMA = Symbol('OUTBOX_SCHEMA');

/**
 * Runs the service's outbox relay while the app is up; stops it before connections close.
 * Exports the backlog as `incident_sync_outbox_unpublished_messages{state}` (read at scrape).
 */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, publisher: EventPublisher, @Inject(OUTBOX_SCHEMA) schema: string, @Optional() metrics?: Metrics) {
    this.relay = new OutboxRelay(dataSource, publisher, { schema });
    metrics?.gaugeReadAtScrape('incident_sync_outbox_unpublished_messages', 'Outbox rows not yet published to Kafka (pending) and rows set aside as too large (set_aside)', ['state'], async () => {
      const backlog = await this.relay.backlog();
      return [{ labels: { state: 'pending' }, value: backlog.pending }, { labels: { state: 'set_aside' }, value: backlog.setAside }];
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

/** Add to a module's providers: `providers: [...outboxRelayProviders('incidents')]`. */
export function outboxRelayProviders(schema: string): Provider[] {
  return [{ provide: OUTBOX_SCHEMA, useValue: schema }, OutboxRelayHost];
}
