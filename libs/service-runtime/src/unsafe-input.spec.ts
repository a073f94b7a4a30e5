import { findUnsafeInput } from './unsafe-input';
import { jsonBytes } from './max-json-bytes';

describe('findUnsafeInput', () => {
  it('given a NUL in a nested string, then it names that field', () => {
    expect(findUnsafeInput({ title: 'ok', escalation_policy: { name: 'a\u0000b' } })?.field).toBe('escalation_policy.name');
  });

  it('given a lone surrogate (either half), then it names the field; a proper pair is fine', () => {
    expect(findUnsafeInput({ title: 'a\ud800b' })?.field).toBe('title');
    expect(findUnsafeInput({ title: 'a\udc00' })?.field).toBe('title');
    expect(findUnsafeInput({ title: 'emoji 😀 ok' })).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'])('given a %s key, then the message names the key', (key) => {
    const body = JSON.parse(`{"title":"t","nested":{"${key}":{"x":1}}}`) as unknown;
    const problem = findUnsafeInput(body);
    expect(problem?.field).toBe(`nested.${key}`);
    expect(problem?.message).toContain(`"${key}"`);
  });

  it('given arrays, then the index is in the field', () => {
    expect(findUnsafeInput({ ids: ['a', 'b\u0000'] })?.field).toBe('ids[1]');
  });

  it('given very deep nesting, then it is refused without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`) as unknown;
    expect(findUnsafeInput(deep)?.message).toContain('nested more than');
  });

  it('given plain input, then nothing is reported', () => {
    expect(findUnsafeInput({ title: 'Checkout latency', n: 1, list: [true, null] })).toBeUndefined();
    expect(findUnsafeInput('query value', 'status')).toBeUndefined();
    expect(findUnsafeInput('bad\u0000', 'status')?.field).toBe('status');
  });
});

describe('jsonBytes', () => {
  it('counts a string on its JSON encoding: control characters 6 bytes, non-ASCII in UTF-8', () => {
    expect(jsonBytes('abc')).toBe(3);
    expect(jsonBytes('\u0001')).toBe(6);
    expect(jsonBytes('\n')).toBe(2);
    expect(jsonBytes('運')).toBe(3);
    expect(jsonBytes('\u0001'.repeat(65536))).toBe(6 * 65536);
  });
});
