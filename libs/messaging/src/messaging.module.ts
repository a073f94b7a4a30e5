import { DynamicModule, Global, Inject, Module, OnModuleInit, Optional } from '@nestjs/common';
import { ReadinessRegistry } from '@incident-sync/service-runtime';
import { EventPublisher } from './event-publisher';
import { MessageConsumer } from './message-consumer';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';

/** Publisher + consumer pipeline for one service; registers the Kafka readiness check. */
@Global()
@Module({})
export class MessagingModule implements OnModuleInit {
  constructor(
    private readonly publisher: EventPublisher,
    @Optional() @Inject(ReadinessRegistry) private readonly readiness?: ReadinessRegistry,
  ) {}

  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, EventPublisher, MessageConsumer],
      exports: [EventPublisher, MessageConsumer, MESSAGING_OPTIONS],
    };
  }

  onModuleInit(): void {
    this.readiness?.register('kafka', async () => {
      await this.publisher.connect();
    });
  }
}
