import { InvalidArgumentError } from 'commander';

/** `--enabled true|false` (also yes/no/on/off/1/0), for flags documented with an explicit value. */
export function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(v)) return true;
  if (['false', 'no', 'off', '0'].includes(v)) return false;
  throw new InvalidArgumentError('expected true or false.');
}

/** A number as typed; ranges are the API's to judge (it answers 400 naming the field). */
export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

/** `P1=SEV-1,P2=SEV-2` → { P1: 'SEV-1', P2: 'SEV-2' }. */
export function parseKeyValueList(value: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, val, ...rest] = pair.split('=');
    if (!key || !val || rest.length > 0) throw new InvalidArgumentError(`expected KEY=VALUE pairs separated by commas, got "${pair}".`);
    result[key.trim()] = val.trim();
  }
  return result;
}
