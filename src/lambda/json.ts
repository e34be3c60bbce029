// JSON for λ results: Infinity (an entire function's R) and NaN have no JSON form, so they are
// written as the strings "Infinity", "-Infinity" and "NaN" instead of JSON.stringify's null.
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}
