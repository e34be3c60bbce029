// Renders the forward and reverse kernels of a unary elementwise op from its rule into
// shaders/elementwise.wgsl. A rule says how to build the op's series order by order from x (a
// recurrence written once against the small Step API below) and how x̄ follows from ȳ (VJP
// stages). The same rule becomes straight-line code for K ≤ UNROLLED_MAX_ORDER (each
// coefficient a named vec4 value: y3, z0) and loops over private arrays above, sized by order
// class.
//
// Why a VJP is a few stages: for an analytic g the truncated map x ↦ g(x) on jets has the
// Jacobian "multiply by the derivative series d = g'(x(t))", so x̄_j = Σ_{k=j..K} ȳ_k·d_{k−j}
// (`correlate`). Where d is a quotient, the transposed triangular solve of "multiply by the
// divisor" (`solve`, back-substitution) is more accurate than forming d; `scale` multiplies x̄
// by a constant or uniform.
import templateWgsl from '../shaders/elementwise.wgsl';
import type { KernelSource } from '../src/gpu/engine.js';
import type { Prelude } from '../src/gpu/kernel.js';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

/** Orders up to this one run unrolled (the code grows as K²); above, the looped kernels. */
export const UNROLLED_MAX_ORDER = 8;

/**
 * Looped kernels' private arrays hold one of these many vec4 coefficients: zeroing arrays sized
 * for order 60 at every call cost more than the recurrence far below it (bench/README.md).
 */
const SIZE_CLASSES = [16, 32, 61] as const;

/** A coefficient index: a number in straight-line code, a WGSL u32 expression in loops. */
type Index = number | string;

/**
 * What a rule's step writes with, at order k ≥ 1. Series are named by letters (x is the input);
 * expressions are WGSL vec4f expressions.
 */
export interface Step {
  /** k as an f32 expression. */
  readonly kf: string;
  /** Coefficient i of series s (e.g. at('x', 0) is x_0). */
  at(s: string, i: Index): string;
  /** Coefficient k of series s. */
  cur(s: string): string;
  /** Sets coefficient k of series s; the steps run in the order they are set. */
  set(s: string, value: string): void;
  /** (1/k)·Σ_{j=1..k} j·x_j·d_{k−j}: order k of g(x) when d = g'(x) (the ODE step). */
  ode(d: string): string;
  /** ode(d) for several d, in one loop (coupled series such as sin and cos share j·x_j). */
  odes(...ds: string[]): string[];
  /** Σ_{j=from..k−skip} a_j·b_{k−j}. */
  dot(a: string, b: string, from: number, skip: number): string;
  /** Σ_{j=from..k−skip} j·a_j·b_{k−j}. */
  jdot(a: string, b: string, from: number, skip: number): string;
  /** Σ_{j=from..k−from} a_j·a_{k−j} (from 0 or 1), as twice the half sum plus the middle term. */
  square(a: string, from: 0 | 1): string;
  /** Runs `body` only in the reverse kernel (a derivative series only x̄ needs). */
  vjpOnly(body: () => void): void;
}

export type VjpStage = { readonly correlate: string } | { readonly solve: string } | { readonly scale: string };

export interface UnaryRule {
  readonly name: string;
  /** The op's WGSL: its start function and helpers (and the shaders of ops it builds on, e.g. sigmoid's start). */
  readonly wgsl: string | readonly string[];
  readonly preludes?: readonly Prelude[];
  /** f32 uniforms of the op (fields of `params`), e.g. x^a's a. */
  readonly uniforms?: readonly string[];
  /**
   * `<start>(x0: vec4f) -> array<vec4f, n>`: order 0 of each of `series`, then the `constants`
   * (vec4 values the steps use, e.g. sigmoid's 1 − 2·y_0).
   */
  readonly start: string;
  readonly series: readonly string[];
  readonly constants?: readonly string[];
  /** Sets order k of the series from the lower orders. */
  readonly step: (e: Step) => void;
  /** The series the forward kernel writes. */
  readonly output: string;
  /** How x̄ follows from ȳ, stage by stage. */
  readonly vjp: readonly VjpStage[];
}

const minus = (a: Index, b: Index): Index => (typeof a === 'number' && typeof b === 'number' ? a - b : b === 0 ? a : `${a} - ${b}`);
const f32 = (i: Index): string => (typeof i === 'number' ? `${i}.0` : `f32(${i})`);
const join = (terms: string[]): string => (terms.length === 0 ? 'vec4f(0.0)' : `(${terms.join(' + ')})`);

/** The WGSL of one order's step (straight-line: K is a number; looped: k is the loop variable). */
class Emitter implements Step {
  readonly lines: string[] = [];
  private sums = 0;

  constructor(private readonly k: Index, private readonly reverse: boolean, private readonly unrolled: boolean) {}

  get kf(): string {
    return f32(this.k);
  }

  at(s: string, i: Index): string {
    if (i === 0) return `${s}0`;
    return this.unrolled ? `${s}${i}` : `${s}s[${i}]`;
  }

  cur(s: string): string {
    return this.at(s, this.k);
  }

  set(s: string, value: string): void {
    this.lines.push(this.unrolled ? `let ${s}${this.k} = ${value};` : `${s}s[k] = ${value};`);
  }

  /** Σ_{j=from..to} term(j): an expression unrolled; in loops an accumulator filled by a loop first. */
  private sum(from: number, to: Index, term: (j: Index) => string): string {
    if (typeof to === 'number') return join(Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => term(from + i)));
    const acc = `acc${this.sums++}`;
    this.lines.push(`var ${acc} = vec4f(0.0);`, `for (var j = ${from}u; j <= ${to}; j++) { ${acc} += ${term('j')}; }`);
    return acc;
  }

  ode(d: string): string {
    const s = this.sum(1, this.k, (j) => `${this.at('jx', j)} * ${this.at(d, minus(this.k, j))}`);
    return this.k === 1 ? s : `${s} / ${this.kf}`;
  }

  odes(...ds: string[]): string[] {
    if (typeof this.k === 'number') return ds.map((d) => this.ode(d));
    const accs = ds.map(() => `acc${this.sums++}`);
    this.lines.push(...accs.map((acc) => `var ${acc} = vec4f(0.0);`), 'for (var j = 1u; j <= k; j++) {', '  let jxj = jxs[j];',
      ...ds.map((d, i) => `  ${accs[i]} += jxj * ${this.at(d, 'k - j')};`), '}');
    return accs.map((acc) => `${acc} / ${this.kf}`);
  }

  dot(a: string, b: string, from: number, skip: number): string {
    return this.sum(from, minus(this.k, skip), (j) => `${this.at(a, j)} * ${this.at(b, minus(this.k, j))}`);
  }

  jdot(a: string, b: string, from: number, skip: number): string {
    return this.sum(from, minus(this.k, skip), (j) => `${f32(j)} * ${this.at(a, j)} * ${this.at(b, minus(this.k, j))}`);
  }

  square(a: string, from: 0 | 1): string {
    const k = this.k;
    if (typeof k === 'number') {
      const pairs = Array.from({ length: Math.max(0, Math.ceil(k / 2) - from) }, (_, i) => `${this.at(a, from + i)} * ${this.at(a, k - from - i)}`);
      const middle = k % 2 === 0 && k / 2 >= from ? [`${this.at(a, k / 2)} * ${this.at(a, k / 2)}`] : [];
      return join([...(pairs.length > 0 ? [`2.0 * ${join(pairs)}`] : []), ...middle]);
    }
    // k ≥ 1 in the loop, so for from ≤ 1 the middle term (k even) always counts.
    const acc = `acc${this.sums++}`;
    this.lines.push(`var ${acc} = vec4f(0.0);`,
      `for (var j = ${from}u; j < (k + 1u) / 2u; j++) { ${acc} += ${this.at(a, 'j')} * ${this.at(a, 'k - j')}; }`,
      `${acc} *= 2.0;`,
      `if (k % 2u == 0u) { ${acc} += ${this.at(a, 'k / 2u')} * ${this.at(a, 'k / 2u')}; }`);
    return acc;
  }

  vjpOnly(body: () => void): void {
    if (this.reverse) body();
  }
}

type Entry = 'forward' | 'vjp';

/** The VJP stages in straight-line code: stage i turns c{i}_j (c0 = ȳ) into c{i+1}_j. */
function unrolledStages(stages: readonly VjpStage[], K: number, out: string[]): string {
  let from = 'yb';
  let i = 0;
  for (const stage of stages) {
    if ('scale' in stage) continue;
    const to = `c${++i}_`;
    if ('correlate' in stage) {
      const d = stage.correlate;
      for (let j = 0; j <= K; j++) {
        out.push(`let ${to}${j} = ${join(Array.from({ length: K - j + 1 }, (_, m) => `${from}${j + m} * ${d}${m}`))};`);
      }
    } else {
      const d = stage.solve;
      for (let j = K; j >= 0; j--) {
        const terms = Array.from({ length: K - j }, (_, m) => `${d}${m + 1} * ${to}${j + m + 1}`);
        out.push(`let ${to}${j} = ${terms.length === 0 ? `${from}${j}` : `(${from}${j} - ${join(terms)})`} / ${d}0;`);
      }
    }
    from = to;
  }
  return from;
}

/** The VJP stages in loops, in place on the array `bars` (ȳ on entry). */
function loopedStages(stages: readonly VjpStage[], out: string[]): void {
  const d = (s: string, i: string) => (s === 'x' ? `xs[${i}]` : `${s}s[${i}]`);
  for (const stage of stages) {
    if ('correlate' in stage) {
      // Ascending j: x̄_j needs ȳ_k for k ≥ j only, which are not yet overwritten.
      out.push('for (var j = 0u; j <= K; j++) {', '  var acc = vec4f(0.0);',
        `  for (var k = j; k <= K; k++) { acc += bars[k] * ${d(stage.correlate, 'k - j')}; }`, '  bars[j] = acc;', '}');
    } else if ('solve' in stage) {
      // Descending j: the solved values above j are final before ȳ_j is read.
      out.push('for (var i = 0u; i <= K; i++) {', '  let j = K - i;', '  var acc = vec4f(0.0);',
        `  for (var k = j + 1u; k <= K; k++) { acc += ${d(stage.solve, 'k - j')} * bars[k]; }`,
        `  bars[j] = (bars[j] - acc) / ${d(stage.solve, '0u')};`, '}');
    }
  }
}

/** Product of the scale stages as a factor prefix ('' when there is none). */
function scaleOf(stages: readonly VjpStage[]): string {
  return stages.flatMap((s) => ('scale' in s ? [`${s.scale} * `] : [])).join('');
}

function startLines(rule: UnaryRule): string[] {
  const names = [...rule.series, ...(rule.constants ?? [])];
  return [`let st = ${rule.start}(x0);`, ...names.map((n, i) => (i < rule.series.length ? `let ${n}0 = st[${i}];` : `let ${n} = st[${i}];`))];
}

/** Declarations of x_k and j·x_k that the code uses (named values or arrays). */
function xLines(code: string, K: number | null, out: string[]): void {
  const uses = (re: RegExp) => re.test(code);
  if (K !== null) {
    for (let k = 1; k <= K; k++) {
      const xk = new RegExp(`\\bx${k}\\b`).test(code) || new RegExp(`\\bjx${k}\\b`).test(code);
      if (xk) out.push(`let x${k} = load_x4((row * ${K + 1}u + ${k}u) * F, fs);`);
      if (new RegExp(`\\bjx${k}\\b`).test(code)) out.push(`let jx${k} = ${k === 1 ? 'x1' : `${k}.0 * x${k}`};`);
    }
    return;
  }
  if (uses(/\bxs\[/)) out.push('for (var k = 1u; k <= K; k++) { xs[k] = load_x4(jet_index(row, k, 0u, K, F), fs); }');
  if (uses(/\bjxs\[/)) {
    out.push(`for (var k = 1u; k <= K; k++) { jxs[k] = f32(k) * ${uses(/\bxs\[/) ? 'xs[k]' : 'load_x4(jet_index(row, k, 0u, K, F), fs)'}; }`);
  }
}

function body(rule: UnaryRule, entry: Entry, K: number | null, size: number): string {
  const reverse = entry === 'vjp';
  const steps: string[] = [];
  if (K !== null) {
    for (let k = 1; k <= K; k++) {
      const e = new Emitter(k, reverse, true);
      rule.step(e);
      steps.push(...e.lines);
    }
  } else {
    const e = new Emitter('k', reverse, false);
    rule.step(e);
    steps.push('for (var k = 1u; k <= K; k++) {', ...e.lines.map((l) => `  ${l}`), '}');
  }
  const tail: string[] = [];
  if (K !== null) {
    const at = (k: number) => `(row * ${K + 1}u + ${k}u) * F`;
    if (!reverse) {
      for (let k = 0; k <= K; k++) tail.push(`store_y4(${at(k)}, f0, F, ${rule.output}${k});`);
    } else {
      for (let k = 0; k <= K; k++) tail.push(`let yb${k} = load_ybar4(${at(k)}, fs);`);
      const last = unrolledStages(rule.vjp, K, tail);
      for (let k = 0; k <= K; k++) tail.push(`store_xbar4(${at(k)}, f0, F, ${scaleOf(rule.vjp)}${last}${k});`);
    }
  } else if (!reverse) {
    tail.push(`for (var k = 0u; k <= K; k++) { store_y4(jet_index(row, k, 0u, K, F), f0, F, ${rule.output}s[k]); }`);
  } else {
    tail.push(`var bars: array<vec4f, ${size}u>;`, 'for (var k = 0u; k <= K; k++) { bars[k] = load_ybar4(jet_index(row, k, 0u, K, F), fs); }');
    loopedStages(rule.vjp, tail);
    tail.push(`for (var k = 0u; k <= K; k++) { store_xbar4(jet_index(row, k, 0u, K, F), f0, F, ${scaleOf(rule.vjp)}bars[k]); }`);
  }
  // Order 0 lives in x0, y0, …; the arrays (looped) hold it too, for the sums that index them.
  const head: string[] = ['let x0 = load_x4(row * (K + 1u) * F, fs);', ...startLines(rule)];
  if (K === null) {
    const code = [...steps, ...tail].join('\n');
    const arrays = ['x', 'jx', ...rule.series].filter((s) => new RegExp(`\\b${s}s\\[`).test(code));
    head.push(...arrays.map((s) => `var ${s}s: array<vec4f, ${size}u>;`));
    head.push(...arrays.filter((s) => s !== 'jx').map((s) => `${s}s[0] = ${s}0;`));
  }
  const loads: string[] = [];
  xLines([...steps, ...tail].join('\n'), K, loads);
  return [...head, ...loads, ...steps, ...tail].map((l) => `  ${l}`).join('\n');
}

/** The kernel of `rule` for order K: one module per (entry, K ≤ 8) or (entry, size class). */
export function unaryKernels(rule: UnaryRule) {
  const sources = new Map<string, KernelSource>();
  const source = (entry: Entry, order: number): KernelSource => {
    const unrolled = order <= UNROLLED_MAX_ORDER;
    const size = SIZE_CLASSES.find((s) => order + 1 <= s)!;
    const key = `${entry}:${unrolled ? `k${order}` : `s${size}`}`;
    let s = sources.get(key);
    if (!s) {
      const entryPoint = `${rule.name}_${entry}`;
      const uniforms = (rule.uniforms ?? []).map((u) => `${u}: f32,`).join(' ');
      const wgsl = `${templateWgsl.replace('/* UNIFORMS */', uniforms).replace('fn ENTRY(', `fn ${entryPoint}(`)
        .replace('  // BODY', body(rule, entry, unrolled ? order : null, size))}\n${[rule.wgsl].flat().join('\n')}`;
      s = { name: rule.name, wgsl, entryPoint, ...(rule.preludes ? { preludes: rule.preludes } : {}) };
      sources.set(key, s);
    }
    return s;
  };
  return {
    source,
    forward: (x: Jet, uniforms: Readonly<Record<string, number>> = {}): Jet => runUnary(source('forward', x.order), x, uniforms, 4),
    vjp: (x: Jet, ybar: Jet, uniforms: Readonly<Record<string, number>> = {}): Jet => runUnaryVjp(source('vjp', x.order), x, ybar, uniforms, 4),
  };
}
