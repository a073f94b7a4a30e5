import { payloadJson, payloadPreview, prettyPayload } from './payload-preview';

describe('payload preview', () => {
  it('compacts JSON onto one line', () => {
    expect(payloadPreview('{\n  "a": 1,\n  "b": [1, 2]\n}')).toBe('{"a":1,"b":[1,2]}');
  });

  it('cuts long payloads at the limit with an ellipsis, without splitting characters', () => {
    const preview = payloadPreview(JSON.stringify({ text: 'x'.repeat(500) }), 40);
    expect(Array.from(preview)).toHaveLength(40);
    expect(preview.endsWith('…')).toBe(true);
    const emoji = payloadPreview('🔥'.repeat(10), 5);
    expect(emoji).toBe('🔥🔥🔥🔥…');
    expect(payloadPreview('short', 5)).toBe('short');
  });

  it('collapses whitespace and control characters of non-JSON payloads', () => {
    expect(payloadPreview('not\tjson\r\n\u0000at   all ')).toBe('not json at all');
    expect(payloadPreview('')).toBe('');
  });

  it('pretty-prints JSON for inspection and leaves anything else as stored', () => {
    expect(prettyPayload('{"a":{"b":1}}')).toBe('{\n  "a": {\n    "b": 1\n  }\n}');
    expect(prettyPayload('{broken')).toBe('{broken');
    expect(payloadJson('{"a":1}')).toEqual({ a: 1 });
    expect(payloadJson('{broken')).toBeNull();
  });
});
