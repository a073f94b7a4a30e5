import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '@incident-sync/persistence';
import { EventPublisher } from './event-publisher';

const OUTBOX_SCHEMA = Symbol('OUTBOX_SCHEMA');

/** Runs the service's outbox relay while the app is up; stops it before connections close. */
@Injectable()
export class OutboxRelayHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, publisher: EventPublisher, @Inject(OUTBOX_SCHEMA) schema: string) {
    this.relay = new OutboxRelay(dataSource, publisher, { schema });
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
