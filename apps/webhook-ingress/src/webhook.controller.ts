import { Controller, Headers, HttpCode, Param, Post, RawBodyRequest, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { OrgId } from '@incident-sync/service-runtime';
import { ReceiveOutcome, ReceiveWebhookService } from './receive-webhook.service';
import { WebhookMetrics } from './webhook-metrics';
import { SelfTestReport, WebhookSelfTestService } from './webhook-self-test.service';

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * PagerDuty delivery endpoint. The gateway forwards it without an API key (the signature is
 * the authentication) and with the raw bytes unchanged; `/test` needs an API key.
 */
@Controller('api/v1/webhooks')
export class WebhookController {
  constructor(private readonly receiver: ReceiveWebhookService, private readonly selfTest: WebhookSelfTestService, private readonly metrics: WebhookMetrics) {}

  @Post(':integrationId')
  @HttpCode(202)
  async deliver(
    @Param('integrationId') integrationId: string,
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers() headers: Record<string, string | string[] | undefined>,
  ): Promise<{ status: string; receipt_id?: string }> {
    let outcome: ReceiveOutcome;
    try {
      outcome = await this.receiver.receive(integrationId, request.rawBody ?? Buffer.alloc(0), {
        signature: first(headers['x-pagerduty-signature']),
        webhookId: first(headers['x-webhook-id']),
      });
    } catch (error) {
      this.metrics.reject(error);
      throw error;
    }
    this.metrics.accept(outcome);
    return outcome.status === 'accepted' ? { status: 'accepted', receipt_id: outcome.receiptId } : { status: outcome.status };
  }

  @Post(':integrationId/test')
  @HttpCode(200)
  test(@OrgId() organizationId: string, @Param('integrationId') integrationId: string): Promise<SelfTestReport> {
    return this.selfTest.run(organizationId, integrationId);
  }
}
