// Readable output: right-aligned columns of coefficients c_k and raw derivatives k!·c_k.
export function num(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e7 ? String(Number(v.toPrecision(9))) : v.toExponential(8).replace(/\.?0+e/, 'e');
}

/** k! in f64 (60! ≈ 8.3e81 is well inside its range). */
export function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((s, c) => s.padStart(widths[c]!)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function scaleText(s: number): string {
  const l = Math.log2(s);
  return Number.isInteger(l) ? `2^${l}` : num(s);
}
