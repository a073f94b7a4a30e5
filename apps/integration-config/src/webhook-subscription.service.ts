import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@incident-sync/contracts';
import { PagerDutyApiError } from '@incident-sync/pagerduty';
import { RequestContext } from '@incident-sync/service-runtime';
import { BaseUrlPolicy } from './base-url.policy';
import { CreateWebhookSubscriptionDto } from './dto/integration-rules.dto';
import { IntegrationService } from './integration.service';
import { PagerDutyClientFactory } from './pagerduty-client.factory';

/** The incident events the sync handles (ARCHITECTURE §3 "Events handled"). */
export const SUBSCRIBED_EVENTS = [
  'incident.triggered', 'incident.acknowledged', 'incident.unacknowledged', 'incident.resolved', 'incident.reopened',
  'incident.reassigned', 'incident.delegated', 'incident.escalated', 'incident.priority_updated', 'incident.annotated',
] as const;

export interface WebhookSubscriptionView {
  id: string;
  url: string;
  active: boolean;
  events: string[];
  secret_stored: boolean;
}

/**
 * Creates the PagerDuty webhook subscription pointing at this integration's ingress URL.
 * PagerDuty returns the signing secret only in this one response (FACTS §1.6), so it is
 * stored (encrypted) in the same step, as one of the integration's webhook secrets.
 */
@Injectable()
export class WebhookSubscriptionService {
  private readonly logger = new Logger(WebhookSubscriptionService.name);

  constructor(private readonly integrations: IntegrationService, private readonly clients: PagerDutyClientFactory, private readonly urls: BaseUrlPolicy) {}

  async create(caller: RequestContext, ref: string, dto: CreateWebhookSubscriptionDto): Promise<WebhookSubscriptionView> {
    const filterType = dto.filter_type ?? 'account_reference';
    if (filterType !== 'account_reference' && !dto.filter_id) throw AppError.validation('filter_id', `filter_id is required with filter_type ${filterType}`);
    const integration = await this.integrations.find(caller, ref);
    // After the lookup: whether http is acceptable depends on who delivers (a listed simulator may).
    const publicUrl = this.urls.checkPublicUrl(dto.public_url ?? this.integrations.publicBaseUrl, dto.public_url === undefined ? 'PUBLIC_BASE_URL' : 'public_url', integration.baseUrl);
    const client = this.clients.create(integration, this.integrations.decryptToken(integration));
    const url = `${publicUrl}/api/v1/webhooks/${integration.id}`;
    let created;
    try {
      created = await client.createWebhookSubscription({
        type: 'webhook_subscription',
        description: `incident-sync ${integration.slug} (${integration.organizationId})`,
        delivery_method: { type: 'http_delivery_method', url },
        events: [...SUBSCRIBED_EVENTS],
        filter: filterType === 'account_reference' ? { type: filterType } : { type: filterType, id: dto.filter_id },
      });
    } catch (error) {
      const retryable = error instanceof PagerDutyApiError ? error.retryable : true;
      throw new AppError(retryable ? 'UPSTREAM_UNAVAILABLE' : 'UPSTREAM_PERMANENT', `PagerDuty did not create the subscription: ${error instanceof Error ? error.message : String(error)}`);
    }
    const sub = created.data.webhook_subscription;
    const secret = sub.delivery_method.secret ?? null;
    await this.integrations.mutate(caller, integration.id, async (em, i) => {
      i.webhookSubscriptionId = sub.id;
      if (secret) await this.integrations.insertWebhookSecret(em, i.id, secret);
    });
    this.logger.log({ msg: 'created PagerDuty webhook subscription', subscriptionId: sub.id, integrationId: integration.id });
    return { id: sub.id, url: sub.delivery_method.url, active: sub.active, events: sub.events, secret_stored: secret !== null };
  }
}
