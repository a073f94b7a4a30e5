import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { ReadinessRegistry } from './readiness.registry';
import { SERVICE_NAME } from './service-name.token';
import { Public } from './public.decorator';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Live: the process answers. Restarting it would not help anything else. */
  @Get('live')
  live(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.service };
  }

  /** Ready: every dependency (database, Kafka) answers; 503 with the failing ones otherwise. */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; service: string; checks: Record<string, { ok: boolean }> }> {
    const result = await this.readiness.run();
    if (!result.ready) {
      throw new HttpException({ status: 'not_ready', service: this.service, checks: result.checks }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: 'ready', service: this.service, checks: result.checks };
  }
}
