import { IsBoolean, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { ALL_SOURCE_TOPICS, SourceTopic } from './topics';

/**
 * What lands on `<topic>.dlq`: the original message untouched (raw value as UTF-8, so even
 * a message that is not JSON survives) plus why it failed, so dlq-manager can show and
 * replay it to its origin topic with its original key.
 */
export class DeadLetterEnvelope {
  @IsUUID() deadLetterId!: string;
  @IsIn(ALL_SOURCE_TOPICS) originalTopic!: SourceTopic;
  @IsOptional() @IsString() key!: string | null;
  @IsString() payload!: string;
  @IsObject() headers!: Record<string, string>;
  @IsString() errorCode!: string;
  @IsString() errorMessage!: string;
  @IsBoolean() retryable!: boolean;
  @IsInt() @Min(1) attempts!: number;
  @IsISO8601() firstFailedAt!: string;
  @IsISO8601() lastFailedAt!: string;
  @IsString() consumerGroup!: string;
  @IsOptional() @IsInt() partition!: number | null;
  @IsOptional() @IsString() offset!: string | null;
  /** Tenant of the message when it could be read, so operators only see their own. */
  @IsOptional() @IsString() organizationId!: string | null;
}
