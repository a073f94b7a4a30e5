import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@incident-sync/contracts';
import { IntegrationLookup } from '@incident-sync/integration-config-client';
import { signWebhookBody } from '@incident-sync/pagerduty';
import { ReceiveWebhookService } from './receive-webhook.service';

export interface SelfTestCheck {
  name: string;
  passed: boolean;
  detail: string;
}

export interface SelfTestReport {
  integration_id: string;
  result: 'pass' | 'fail';
  secrets_checked: number;
  sample_event: { id: string; event_type: string; bytes: number };
  checks: SelfTestCheck[];
}

/**
 * POST /api/v1/webhooks/:id/test — proves signature validation end to end without
 * publishing anything: a sample v3 event is signed with the stored (newest) secret and run
 * through the same `authenticate` path real deliveries take; a tampered copy and a copy
 * signed with an unknown secret must both be rejected. No secret or signature is returned.
 */
@Injectable()
export class WebhookSelfTestService {
  constructor(private readonly integrations: IntegrationLookup, private readonly receiver: ReceiveWebhookService) {}

  async run(organizationId: string, integrationIdOrSlug: string): Promise<SelfTestReport> {
    // Another organization's integration does not exist for this caller (404, never 403).
    const config = await this.integrations.inOrganization(organizationId, integrationIdOrSlug);

    const event = {
      id: `SELFTEST${randomUUID().replace(/-/g, '').slice(0, 18).toUpperCase()}`,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      agent: null,
      client: null,
      data: { id: 'PSELFTEST', type: 'incident', title: 'incident-sync webhook self-test', status: 'triggered', urgency: 'low' },
    };
    const body = Buffer.from(JSON.stringify({ event }), 'utf8');
    const report = (checks: SelfTestCheck[]): SelfTestReport => ({
      integration_id: config.id,
      result: checks.every((c) => c.passed) ? 'pass' : 'fail',
      secrets_checked: config.webhookSecrets.length,
      sample_event: { id: event.id, event_type: event.event_type, bytes: body.length },
      checks,
    });

    const newest = config.webhookSecrets[0];
    if (!newest) return report([{ name: 'secret_configured', passed: false, detail: 'the integration has no webhook signing secret' }]);

    const accepts = async (raw: Buffer, signature: string): Promise<{ ok: boolean; code?: string }> => {
      try {
        await this.receiver.authenticate(config.id, raw, signature, { selfTest: true });
        return { ok: true };
      } catch (error) {
        if (error instanceof AppError && (error.code === 'INVALID_SIGNATURE' || error.code === 'VALIDATION_FAILED')) return { ok: false, code: error.code };
        throw error;
      }
    };

    const signed = await accepts(body, signWebhookBody(newest, body));
    const tampered = Buffer.from(body);
    // Flip one byte of the title: same length, same JSON shape, different bytes.
    const at = body.indexOf('self-test');
    tampered[at] = tampered[at] === 0x73 ? 0x53 : 0x73;
    const tamperedResult = await accepts(tampered, signWebhookBody(newest, body));
    const foreign = await accepts(body, signWebhookBody(randomBytes(32).toString('base64'), body));

    return report([
      { name: 'signed_sample_accepted', passed: signed.ok, detail: signed.ok ? 'a sample signed with the stored secret verified and parsed as a v3 envelope' : `the signed sample was rejected (${signed.code})` },
      { name: 'tampered_copy_rejected', passed: !tamperedResult.ok && tamperedResult.code === 'INVALID_SIGNATURE', detail: tamperedResult.ok ? 'a tampered copy was ACCEPTED' : 'a copy with one changed byte was rejected (401)' },
      { name: 'unknown_secret_rejected', passed: !foreign.ok && foreign.code === 'INVALID_SIGNATURE', detail: foreign.ok ? 'a sample signed with an unknown secret was ACCEPTED' : 'a sample signed with an unknown secret was rejected (401)' },
    ]);
  }
}
