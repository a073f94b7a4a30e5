import { isUuid } from '@incident-sync/contracts';

/** How an incident is named in a URL: its uuid or its per-organization number `INC-<n>`. */
export type IncidentRef = { id: string } | { number: number };

const NUMBER = /^inc-(\d{1,9})$/i;

export function parseIncidentRef(ref: string): IncidentRef | null {
  if (isUuid(ref)) return { id: ref.toLowerCase() };
  const match = NUMBER.exec(ref);
  if (match?.[1]) {
    const n = Number(match[1]);
    return n >= 1 ? { number: n } : null;
  }
  return null;
}

export function formatIncidentNumber(n: number): string {
  return `INC-${n}`;
}
