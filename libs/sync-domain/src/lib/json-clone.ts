/** Deep copy of a JSON value; also guarantees the state stays JSON-serialisable. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
