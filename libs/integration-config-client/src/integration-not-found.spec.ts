import { closestIntegration, editDistance, integrationNotFound } from './integration-not-found';

const org = [
  { slug: 'production-pagerduty', name: 'Production PagerDuty' },
  { slug: 'staging-pd', name: 'Staging' },
  { slug: 'sim-pd', name: 'Simulated PagerDuty' },
];

describe('integrationNotFound', () => {
  it('suggests the slug an abbreviation stands for, and lists the organization\'s slugs', () => {
    const error = integrationNotFound('prod-pd', org);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe("integration prod-pd not found; did you mean production-pagerduty? This organization's integrations: production-pagerduty, staging-pd, sim-pd");
    expect(error.details).toEqual({ suggestion: 'production-pagerduty', integrations: ['production-pagerduty', 'staging-pd', 'sim-pd'] });
  });

  it.each([
    ['prod-pd', 'production-pagerduty'],
    ['production-pagerdty', 'production-pagerduty'],
    ['Production PagerDuty', 'production-pagerduty'],
    ['staging', 'staging-pd'],
    ['sim-pdd', 'sim-pd'],
    ['stg-pd', 'staging-pd'],
  ])('%s → %s', (ref, expected) => {
    expect(closestIntegration(ref, org)?.slug).toBe(expected);
  });

  it('suggests nothing when nothing is similar, but still lists the slugs', () => {
    expect(closestIntegration('jira-cloud', org)).toBeNull();
    expect(integrationNotFound('jira-cloud', org).message).toBe("integration jira-cloud not found; this organization's integrations: production-pagerduty, staging-pd, sim-pd");
  });

  it('says when the organization has no integration at all', () => {
    expect(integrationNotFound('prod-pd', []).message).toMatch(/^integration prod-pd not found; this organization has no integrations yet/);
  });

  it('bounds what it prints: long refs are cut, long lists are counted', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ slug: `team-${i}`, name: `Team ${i}` }));
    const error = integrationNotFound('x'.repeat(5000), many);
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).toContain('(30 in all)');
  });

  it('computes edit distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
