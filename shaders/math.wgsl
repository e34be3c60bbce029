// Accurate exp, expm1, log and sin/cos: a prelude that kernels declare (KernelSource.preludes: ['math']), put after common.wgsl.
// WGSL promises little for the builtins: exp within 3 + 2|x| ULP, log only to absolute 2^-21 near
// 1, sin/cos only to absolute 2^-11 on [-π, π]; SwiftShader's sin/cos are off by ~2e-4 and its
// sin(x) for tiny x is off by ~100%. A jet's order-0 error multiplies every higher order, so these
// functions do their own range reduction and polynomials: ~2 ulp, with IEEE f32 arithmetic only.
// Split constants carry few bits so that n·C_HI is exact (Cody–Waite); all literals are exact f32.

const LOG2E: f32 = 1.4426950216293335;
const LN2_HI: f32 = 0.693145751953125;      // 16 bits: e·LN2_HI is exact for any f32 exponent
const LN2_LO: f32 = 0.000001428606765330187;
const TWO_OVER_PI: f32 = 0.6366197466850281;
const PIO2_1: f32 = 1.57080078125;          // π/2 = PIO2_1 + PIO2_2 + PIO2_3 to ~2^-57;
const PIO2_2: f32 = -0.000004453584551811218; // 12 bits each: exact products for |n| < 2^12,
const PIO2_3: f32 = -8.705515752716053e-10;   // so sin/cos keep full accuracy for |x| < 6000

// expm1(r) for |r| <= ln2/2 (+ rounding): Taylor to r^8, truncation below 0.01 ulp.
fn expm1_reduced(r: f32) -> f32 {
  let p = 1.0 / 2.0 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0
    + r * (1.0 / 5040.0 + r * (1.0 / 40320.0))))));
  return r + r * r * p;
}

// x = n·ln2 + r, |r| <= ln2/2. x is clamped to where exp is finite and nonzero in f32, so that
// n stays inside ldexp's defined range (exp(88.8) overflows to inf, exp(-104) underflows to 0).
fn reduce_ln2(x: f32) -> vec2f {
  let xc = clamp(x, -104.0, 88.8);
  let n = round(xc * LOG2E);
  return vec2f(n, (xc - n * LN2_HI) - n * LN2_LO);
}

fn accurate_exp(x: f32) -> f32 {
  let nr = reduce_ln2(x);
  return ldexp(1.0 + expm1_reduced(nr.y), i32(nr.x));
}

// exp(x) - 1 with full relative precision near 0, where 1 - exp(x) cancels.
fn accurate_expm1(x: f32) -> f32 {
  let nr = reduce_ln2(x);
  let n = i32(nr.x);
  let p = expm1_reduced(nr.y);
  if (n == 0) { return p; }
  // Past n = 24 the -1 is below half an ulp (and 2^128 alone would overflow).
  if (n > 24) { return ldexp(1.0 + p, n); }
  // 2^n·(1 + p) - 1: both terms are exact (2^n - 1 for n <= 24), so one rounding in the sum.
  return ldexp(p, n) + (ldexp(1.0, n) - 1.0);
}

// NaN and -inf bit patterns. WGSL const-expressions cannot hold them, so they live in a private
// variable, a runtime value (WGSL leaves non-finite values to the implementation: IEEE hardware
// passes them through).
var<private> NAN_AND_NEG_INF: vec2u = vec2u(0x7fc00000u, 0xff800000u);

// log(x) (fdlibm's logf scheme): x = 2^e·(1 + f), √½ <= 1 + f < √2, s = f/(2 + f),
// log(1 + f) = f - f²/2 + s·(f²/2 + R(s²)), where R holds the atanh series 2s²/3 + 2s⁴/5 + …
// The edges are decided on the bits, not left to the builtin (SwiftShader: log 0 = -88, log -1 = 0):
// log ±0 = -inf, log of a negative = NaN, log +inf = +inf.
fn accurate_log(x: f32) -> f32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x7fffffffu) == 0u) { return bitcast<f32>(NAN_AND_NEG_INF.y); }
  if (bits > 0x80000000u) { return bitcast<f32>(NAN_AND_NEG_INF.x); }
  if (bits >= 0x7f800000u) { return x; }
  let fe = frexp(x);
  var m = fe.fract;
  var e = f32(fe.exp);
  if (m < 0.70710678) { m = 2.0 * m; e -= 1.0; }
  let f = m - 1.0;
  let s = f / (2.0 + f);
  let z = s * s;
  let r = z * (2.0 / 3.0 + z * (2.0 / 5.0 + z * (2.0 / 7.0 + z * (2.0 / 9.0))));
  let hfsq = 0.5 * f * f;
  return e * LN2_HI + ((f - hfsq + s * (hfsq + r)) + e * LN2_LO);
}

// (sin x, cos x): x = n·π/2 + r, |r| <= π/4, Taylor polynomials (truncation below 0.05 ulp),
// and the quadrant n mod 4 picks and signs them.
fn accurate_sincos(x: f32) -> vec2f {
  let n = round(x * TWO_OVER_PI);
  let r = ((x - n * PIO2_1) - n * PIO2_2) - n * PIO2_3;
  let z = r * r;
  let s = r + r * z * (-1.0 / 6.0 + z * (1.0 / 120.0 + z * (-1.0 / 5040.0 + z * (1.0 / 362880.0))));
  let c = 1.0 - z * (0.5 - z * (1.0 / 24.0 + z * (-1.0 / 720.0 + z * (1.0 / 40320.0 + z * (-1.0 / 3628800.0)))));
  switch (i32(n) & 3) {
    case 0: { return vec2f(s, c); }
    case 1: { return vec2f(c, -s); }
    case 2: { return vec2f(-s, -c); }
    default: { return vec2f(-c, s); }
  }
}
