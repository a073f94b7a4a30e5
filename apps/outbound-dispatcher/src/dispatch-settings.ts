/** The dispatcher knobs from the environment, as one injectable value. */
export interface DispatchSettings {
  /** How long a transiently failing command may stay parked before it is dead-lettered. */
  parkLimitMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  requestTimeoutMs: number;
  pollMs: number;
  leaseMs: number;
  retentionDays: number;
  consumerGroup: string;
}

export const DISPATCH_SETTINGS = Symbol('DISPATCH_SETTINGS');
