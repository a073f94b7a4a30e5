export * from './messaging.options';
export * from './event-publisher';
export * from './message-consumer';
export * from './messaging.module';
export * from './topic-admin';
export * from './kafka-consumer';
export * from './kafka-log';
export * from './outbox-relay.host';
