import type { IntegrationEntity } from './entities/integration.entity';

/** Injection token: our public base URL as PagerDuty reaches it (env PUBLIC_BASE_URL). */
export const PUBLIC_BASE_URL = Symbol('PUBLIC_BASE_URL');

/** One piece an integration still lacks, with the exact command that adds it. */
export interface NextStep {
  missing: 'webhook_secret' | 'from_email' | 'service_mapping' | 'default_service';
  message: string;
  command: string;
}

export interface SetupGuidance {
  /** `<PUBLIC_BASE_URL>/api/v1/webhooks/<id>`: the URL to paste into PagerDuty. */
  webhook_url: string;
  next_steps: NextStep[];
}

export const webhookUrlOf = (publicBaseUrl: string, integrationId: string): string => `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/webhooks/${integrationId}`;

/**
 * What `im integration configure` prints after the integration itself: the slug to use from
 * now on (in the view), the webhook URL, and each missing piece with its command. Pure: it
 * reads the integration and counts, never PagerDuty (`im integration test` does that).
 */
export function setupGuidance(
  i: Pick<IntegrationEntity, 'id' | 'slug' | 'syncDirection' | 'fromEmail' | 'defaultServiceId' | 'unmappedServices' | 'defaultIncidentType'>,
  counts: { webhookSecrets: number; serviceMappings: number },
  publicBaseUrl: string,
): SetupGuidance {
  const webhookUrl = webhookUrlOf(publicBaseUrl, i.id);
  const inbound = i.syncDirection === 'inbound' || i.syncDirection === 'bidirectional';
  const outbound = i.syncDirection === 'outbound' || i.syncDirection === 'bidirectional';
  const steps: NextStep[] = [];
  if (inbound && counts.webhookSecrets === 0) {
    steps.push({
      missing: 'webhook_secret',
      message: `PagerDuty webhooks are refused until a signing secret is stored. Create the PagerDuty subscription to ${webhookUrl} and store its secret in one step (or paste that URL into PagerDuty yourself and add the secret it shows: im integration webhook-secret add ${i.slug} --secret <secret>)`,
      command: `im integration configure ${i.slug} --create-webhook`,
    });
  }
  if (outbound && !i.fromEmail) {
    steps.push({
      missing: 'from_email',
      message: 'PagerDuty refuses writes made with an account-level API token unless they name a PagerDuty user (the From header); set the email of the bot user our writes act as (not needed with a user token)',
      command: `im integration configure ${i.slug} --from-email <pagerduty-user-email>`,
    });
  }
  if (inbound && counts.serviceMappings === 0) {
    const unmapped = i.unmappedServices === 'ignore'
      ? 'PagerDuty incidents are IGNORED (unmapped_services=ignore) until their service is mapped'
      : `PagerDuty incidents from every service create platform incidents with incident type ${i.defaultIncidentType ?? 'unset'}`;
    steps.push({
      missing: 'service_mapping',
      message: `no PagerDuty service is mapped to an incident type: ${unmapped}; map a service to give its incidents a type`,
      command: `im integration service-mapping add ${i.slug} --pd-service <PagerDuty service id> --incident-type <incident type>`,
    });
  }
  if (outbound && counts.serviceMappings === 0 && !i.defaultServiceId) {
    steps.push({
      missing: 'default_service',
      message: 'platform incidents are not created in PagerDuty until a PagerDuty service is known for them: set a default service (or map services to incident types)',
      command: `im integration configure ${i.slug} --default-service <PagerDuty service id>`,
    });
  }
  return { webhook_url: webhookUrl, next_steps: steps };
}
