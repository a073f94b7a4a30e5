import { isUuid } from '@incident-sync/contracts';

/** What integration-config accepts as a slug (and generates from a name). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export { isUuid };

/** An integration id (any case) or a slug: anything else names no integration, so nothing is fetched for it. */
export const isIntegrationRef = (value: string): boolean => isUuid(value) || SLUG_PATTERN.test(value);
