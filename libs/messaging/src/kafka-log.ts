import { Logger } from '@nestjs/common';
import { logLevel, LogEntry } from 'kafkajs';

/**
 * Routes kafkajs logs through Nest's logger at WARN and above. Right after a broker start
 * kafkajs logs retried coordinator errors at ERROR (RECIPE "Readiness"); they are retried,
 * so they are logged as warnings here.
 */
export function kafkaLogCreator(): (entry: LogEntry) => void {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, error, broker, groupId } = log as { message?: string; error?: string; broker?: string; groupId?: string };
    if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn({ msg: message ?? '', error, broker, groupId });
  };
}

export const KAFKA_LOG_LEVEL = logLevel.WARN;
