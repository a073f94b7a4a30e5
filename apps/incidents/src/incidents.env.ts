import { KafkaEnv } from '@incident-sync/service-runtime';

/** Incidents service variables: only the common ones (HOST, PORT, LOG_LEVEL, INTERNAL_TOKEN, DATABASE_URL, KAFKA_BROKERS). */
export class IncidentsEnv extends KafkaEnv {
  override PORT = 8082;
}
