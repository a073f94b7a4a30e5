import { DynamicModule, Global, Inject, Module, OnModuleInit, Optional } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReadinessRegistry } from '@incident-sync/service-runtime';
import { createServiceDataSource, dataSourceOptions, ServiceDataSourceOptions } from './data-source.factory';

/** TypeORM for one service: its schema, migrated at boot; registers the database readiness check. */
@Global()
@Module({})
export class PersistenceModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(ReadinessRegistry) private readonly readiness?: ReadinessRegistry,
  ) {}

  static forRoot(options: ServiceDataSourceOptions): DynamicModule {
    const entities = Array.isArray(options.entities) ? options.entities : Object.values(options.entities);
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(options),
          dataSourceFactory: async () => createServiceDataSource(options),
        }),
        // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
        TypeOrmModule.forFeature(entities.filter((e): e is Function => typeof e === 'function')),
      ],
      exports: [TypeOrmModule],
    };
  }

  onModuleInit(): void {
    this.readiness?.register('database', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
