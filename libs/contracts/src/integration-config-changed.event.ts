import { IsIn, IsInt, IsISO8601, IsString, IsUUID, Min } from 'class-validator';

/**
 * integration.config.changed.v1 (compacted, key = integration id). It says THAT an
 * integration changed; consumers re-read it through the integration-config client, so no
 * secret ever travels on Kafka.
 */
export class IntegrationConfigChangedV1 {
  @IsUUID() eventId!: string;
  @IsString() integrationId!: string;
  @IsString() organizationId!: string;
  @IsIn(['created', 'updated', 'deleted']) change!: 'created' | 'updated' | 'deleted';
  @IsInt() @Min(1) version!: number;
  @IsISO8601() occurredAt!: string;
}
