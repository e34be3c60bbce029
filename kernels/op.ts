// What the op registry (kernels/index.ts) holds for each op. Every op is defined once, in its
// kernel module beside its shader, as one of these objects; the tape rules (src/autodiff/ops.ts),
// the expression functions (src/expr), the activation layers (src/model, src/train) and the
// generic test cases (test/cases/generic.ts) are all derived from the registry.
import type { Recorder } from '../src/autodiff/recorder.js';
import type { Jet } from '../src/jet/jet.js';
import type { Random } from '../src/util/random.js';

/** Any op: its name, how many jets it takes, and its tape rule (the forward kernel plus the reverse rule it records). */
export interface Op<N extends string = string, A extends unknown[] = unknown[]> {
  readonly name: N;
  readonly arity: number;
  record(tape: Recorder, ...args: A): Jet;
}

export function defineOp<const N extends string, A extends unknown[]>(op: Op<N, A>): Op<N, A> {
  return op;
}

/** How the generic cases (test/cases/generic.ts) test a unary op against its float64 rule. */
export interface UnaryTest<P extends number[]> {
  /** c_0 of the random jets; orders k ≥ 1 have size 2^-k (`around`: |c_0|·2^-k, for ops singular at 0). */
  readonly center: (random: Random) => number;
  readonly around?: boolean;
  /**
   * c_0 of the VJP cases, when not `center`: their gradient check moves every coefficient by
   * ~1e-2, which must stay in the linear regime (|c_0| ≥ 2 for ops singular at 0).
   */
  readonly vjpCenter?: (random: Random) => number;
  /** Extra parameters of the op in the cases (x^a's a). */
  readonly params?: P;
  /** Relative error allowed at order k of the forward pass, against series64 (a multiple of U32, justified beside it). */
  readonly tolerance: (k: number) => number;
  /** Relative error allowed for x̄ at order K against the float64 gradient. */
  readonly vjpTolerance: (K: number) => number;
  /** Exact series to check besides the float64 rule (closed forms, e.g. the series at 0). */
  readonly closedForms?: readonly ClosedForm[];
}

/** The op along x(t) = Σ input_k·t^k (f32 values) against exact coefficients want(k), k = 0..order. */
export interface ClosedForm {
  readonly name: string;
  readonly input: readonly number[];
  readonly order: number;
  readonly want: (k: number) => number;
}

/** A unary elementwise op y = g(x), possibly with scalar parameters (x^a). */
export interface UnarySpec<N extends string, P extends number[]> {
  readonly name: N;
  forward(x: Jet, ...params: P): Jet;
  /** x̄ for the output cotangent ȳ: a new jet. */
  vjp(x: Jet, ybar: Jet, ...params: P): Jet;
  /** The float64 Taylor rule on one series c_0..c_K (src/reference style: small and obvious). */
  series64(x: Float64Array, ...params: P): Float64Array;
  /** g on plain numbers (constant folding of expressions). */
  scalar(x: number, ...params: P): number;
  /**
   * True when g maps a jet whose coefficients above d are zero to another such jet (relu: it
   * keeps or zeroes whole series); such layers run below the pass's order (Model.record).
   */
  readonly keepsOrder: boolean;
  /** Its name as an expression function, if it is one (`tanh(x)`). */
  readonly expression?: string;
  /** Names of its scalar parameters, one per element of P (an expression writes them after x: `pow(x, a)`). */
  readonly params?: readonly string[];
  /** True when model files may use it as an activation layer (`{"type": "tanh"}`). */
  readonly layer?: boolean;
  readonly test: UnaryTest<P>;
}

type ParamsOf<S> = S extends { forward(x: Jet, ...params: infer P): Jet } ? P : never;

export type UnaryOp<S extends UnarySpec<string, number[]> = UnarySpec<string, number[]>> = S & {
  readonly arity: 1;
  record(tape: Recorder, x: Jet, ...params: ParamsOf<S>): Jet;
};

/** Records a one-input op y whose x̄ is vjp(ȳ), run only when something needs x̄. */
export function recordUnary(tape: Recorder, x: Jet, y: Jet, vjp: (ybar: Jet) => Jet): Jet {
  return tape.record([x], y, (ybar, [need]) => [need ? vjp(ybar) : null]);
}

/** A unary op from its spec: the tape rule runs forward and records vjp. */
export function unaryOp<const S extends UnarySpec<string, number[]>>(spec: S): UnaryOp<S> {
  const record = (tape: Recorder, x: Jet, ...params: ParamsOf<S>): Jet =>
    recordUnary(tape, x, spec.forward(x, ...params), (ybar) => spec.vjp(x, ybar, ...params));
  return { ...spec, arity: 1, record };
}
