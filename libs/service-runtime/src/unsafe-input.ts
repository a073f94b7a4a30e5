/**
 * Input PostgreSQL or our own code cannot take safely, found before any handler runs:
 * NUL characters (PostgreSQL text and jsonb reject U+0000: a 500 otherwise), lone UTF-16
 * surrogates (jsonb rejects them, and they have no UTF-8 form), prototype-pollution keys
 * (`__proto__`, `constructor`, `prototype`: harmless only until something merges the
 * object) and absurd nesting. Pure, so the JSON parser and the validation pipe share it.
 */
export interface UnsafeInput {
  field: string;
  message: string;
}

/**
 * `__proto__`, `prototype` and every name Object.prototype carries (`constructor`,
 * `hasOwnProperty`, `toString`, `valueOf`, `__defineGetter__`, …). The latter are not only a
 * merge hazard: class-validator's whitelist looks keys up in a plain object, finds the
 * inherited member and lets `{"hasOwnProperty": …}` through as if it were a declared field.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', ...Object.getOwnPropertyNames(Object.prototype)]);
export const MAX_NESTING = 32;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string is unacceptable, or undefined when it is fine. */
export function stringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains a lone UTF-16 surrogate)';
  return undefined;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The first unsafe string, key or nesting in a parsed JSON value (iterative: deep input cannot overflow the stack). */
export function findUnsafeInput(root: unknown, rootPath = ''): UnsafeInput | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { field: path || 'body', message: `${path || 'body'} ${problem}` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_NESTING) return { field: path || 'body', message: `${path || 'body'} is nested more than ${MAX_NESTING} levels deep` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) stack.push({ value: value[i] as unknown, path: `${path || 'body'}[${i}]`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i] as string;
      const field = join(path, key);
      if (FORBIDDEN_KEYS.has(key)) return { field, message: `the key "${key}" is not allowed (${path ? `in ${path}` : 'in the body'})` };
      const keyProblem = stringProblem(key);
      if (keyProblem) return { field: path || 'body', message: `a key of ${path || 'the body'} ${keyProblem}` };
      stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
