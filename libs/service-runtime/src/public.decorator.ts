import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'incident-sync:public';
/** Routes reachable without the gateway's internal token: health probes and /metrics only. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(IS_PUBLIC, true);
