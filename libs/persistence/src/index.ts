export * from './inbox-message.entity';
export * from './outbox-message.entity';
export * from './inbox-outbox.migration-sql';
export * from './data-source.factory';
export * from './inbox';
export * from './outbox';
export * from './outbox-relay';
export * from './persistence.module';
