import { AppError } from '@incident-sync/contracts';

/** What a not-found answer may name: the caller's own organization's integrations, nothing else. */
export interface IntegrationCandidate {
  slug: string;
  name: string;
}

/** Classic edit distance (insert, delete, substitute), on short strings only. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const words = (value: string): string[] => value.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** `pd` abbreviates `pagerduty`, `stg` abbreviates `staging`: same first letter, the rest in order. */
function abbreviates(part: string, word: string): boolean {
  if (part === '' || word[0] !== part[0]) return false;
  let at = 0;
  for (const char of word) if (char === part[at]) at += 1;
  return at >= part.length;
}

/**
 * How far `ref` is from a candidate (lower is closer; null = not similar at all). `prod-pd` is
 * close to `production-pagerduty` because each of its words abbreviates a word of the slug or
 * name, in order; otherwise the edit distance to the slug must be small.
 */
function distance(ref: string, candidate: IntegrationCandidate): number | null {
  const wanted = ref.toLowerCase();
  if (wanted === candidate.slug || wanted === candidate.name.toLowerCase()) return 0;
  for (const target of [words(candidate.slug), words(candidate.name)]) {
    const parts = words(wanted);
    let at = 0;
    for (const word of target) if (at < parts.length && abbreviates(parts[at] ?? '', word)) at += 1;
    if (parts.length > 0 && at === parts.length) return 1;
  }
  const edits = editDistance(wanted, candidate.slug);
  const allowed = Math.max(2, Math.floor(Math.max(wanted.length, candidate.slug.length) / 3));
  return edits <= allowed ? 1 + edits : null;
}

/** The candidate most like `ref`, or null when none is similar (ties: the first in the given order). */
export function closestIntegration(ref: string, candidates: readonly IntegrationCandidate[]): IntegrationCandidate | null {
  let best: { candidate: IntegrationCandidate; distance: number } | null = null;
  for (const candidate of candidates) {
    const d = distance(ref.slice(0, 200), candidate);
    if (d !== null && (best === null || d < best.distance)) best = { candidate, distance: d };
  }
  return best?.candidate ?? null;
}

const LISTED = 20;

/**
 * `NOT_FOUND integration prod-pd not found; did you mean production-pagerduty? This
 * organization's integrations: production-pagerduty, sim-pd`. `candidates` must be the
 * caller's organization's integrations only: the message names them.
 */
export function integrationNotFound(ref: string, candidates: readonly IntegrationCandidate[]): AppError {
  const shown = ref.length > 100 ? `${ref.slice(0, 100)}…` : ref;
  const base = `integration ${shown} not found`;
  if (candidates.length === 0) {
    return new AppError('NOT_FOUND', `${base}; this organization has no integrations yet (create one: im integration configure --name <name> …)`);
  }
  const closest = closestIntegration(ref, candidates);
  const slugs = candidates.slice(0, LISTED).map((c) => c.slug).join(', ') + (candidates.length > LISTED ? `, … (${candidates.length} in all)` : '');
  const hint = closest ? `; did you mean ${closest.slug}? This` : '; this';
  return new AppError('NOT_FOUND', `${base}${hint} organization's integrations: ${slugs}`, undefined, {
    suggestion: closest?.slug ?? null,
    integrations: candidates.slice(0, LISTED).map((c) => c.slug),
  });
}
