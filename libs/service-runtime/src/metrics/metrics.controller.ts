import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../public.decorator';
import { Metrics } from './metrics';

/**
 * GET /metrics in Prometheus text format. Unauthenticated, like /health: scrapers rarely
 * send custom headers, so the protection is the network. Every service port but the gateway's
 * must stay private (README "Metrics"); the gateway forwards only `/api/v1/...`, so its own
 * /metrics is the gateway's, and METRICS_ENABLED=false removes the route.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    await reply.status(200).header('content-type', contentType).send(body);
  }
}
