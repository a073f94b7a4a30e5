import { validateOrganizationHeader } from './organization-header';

/** What Node hands over for a header whose bytes are the UTF-8 of `text`. */
const wire = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

describe('validateOrganizationHeader', () => {
  it('reads the UTF-8 the client sent, including non-Latin-1 text', () => {
    expect(validateOrganizationHeader(wire('運用-org'))).toEqual({ ok: true, value: '運用-org' });
    expect(validateOrganizationHeader('acme-corp')).toEqual({ ok: true, value: 'acme-corp' });
    expect(validateOrganizationHeader(wire('x'.repeat(199) + '運'))).toEqual({ ok: true, value: 'x'.repeat(199) + '運' });
  });

  it('treats an absent or empty header as "no organization"', () => {
    expect(validateOrganizationHeader(undefined)).toEqual({ ok: true, value: null });
    expect(validateOrganizationHeader('')).toEqual({ ok: true, value: null });
  });

  it.each([
    ['\u00e9', 'UTF-8'], // a Latin-1 byte alone is not UTF-8
    [wire('a\tb'), 'control'],
    [wire('a\u0085b'), 'control'],
    [wire('x'.repeat(201)), 'at most 200'],
    ['   ', 'blank'],
  ])('refuses %j (%s)', (raw, reason) => {
    const result = validateOrganizationHeader(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('refuses a repeated header', () => {
    expect(validateOrganizationHeader(['a', 'b']).ok).toBe(false);
  });
});
