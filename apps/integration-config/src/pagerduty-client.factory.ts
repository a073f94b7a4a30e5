import { Injectable } from '@nestjs/common';
import { PagerDutyClient } from '@incident-sync/pagerduty';
import { IntegrationEntity } from './entities/integration.entity';

/** Builds a PagerDuty client for one integration (its validated base_url, token and From). */
@Injectable()
export class PagerDutyClientFactory {
  create(integration: IntegrationEntity, token: string): PagerDutyClient {
    return new PagerDutyClient({ baseUrl: integration.baseUrl, token, fromEmail: integration.fromEmail, timeoutMs: 10000 });
  }
}
