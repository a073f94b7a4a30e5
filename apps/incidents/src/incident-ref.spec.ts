import { formatIncidentNumber, parseIncidentRef } from './incident-ref';

describe('incident references', () => {
  it('reads a uuid or INC-<n> (any case)', () => {
    expect(parseIncidentRef('0F8FAD5B-D9CB-469F-A165-70867728950E')).toEqual({ id: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect(parseIncidentRef('INC-42')).toEqual({ number: 42 });
    expect(parseIncidentRef('inc-7')).toEqual({ number: 7 });
  });

  it('rejects anything else', () => {
    for (const bad of ['42', 'INC-0', 'INC-', 'INC-1x', 'abc', '', 'INC-12345678901']) expect(parseIncidentRef(bad)).toBeNull();
  });

  it('formats numbers', () => {
    expect(formatIncidentNumber(42)).toBe('INC-42');
  });
});
