import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALL_SOURCE_TOPICS } from '@incident-sync/contracts';
import { schemaOf } from '@incident-sync/persistence';
import { Metrics, metricLabel } from '@incident-sync/service-runtime';

/**
 * `incident_sync_dlq_pending_messages{topic}`: dead letters waiting for a replay or discard, by
 * the topic they failed on, read at scrape (COUNT over the topic/status index). Replayed and
 * discarded ones are kept for the record and not counted.
 */
@Injectable()
export class DlqMetrics {
  constructor(metrics: Metrics, dataSource: DataSource) {
    metrics.gaugeReadAtScrape('incident_sync_dlq_pending_messages', 'Dead letters pending (neither replayed nor discarded), by original topic', ['topic'], async () => {
      const rows = (await dataSource.query(
        `SELECT "original_topic" AS topic, count(*)::int AS n FROM "${schemaOf(dataSource)}"."dead_letter" WHERE "status" = 'pending' GROUP BY "original_topic"`,
      )) as { topic: string; n: number }[];
      // Every topic has a sample, 0 included: an empty DLQ reads 0, not "no data".
      const counts = new Map<string, number>(ALL_SOURCE_TOPICS.map((t) => [t, 0]));
      for (const r of rows) counts.set(metricLabel(r.topic, 100), Number(r.n));
      return [...counts].map(([topic, value]) => ({ labels: { topic }, value }));
    });
  }
}
