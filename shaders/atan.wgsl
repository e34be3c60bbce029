// atan of a jet. y = atan(x) satisfies y' = d·x' with d = 1/q, q = 1 + x², so
// k·y_k = Σ_{j=1..k} j·x_j·d_{k-j}, q_k = Σ_{j=0..k} x_j·x_{k-j} (k >= 1) and the series
// division d_k = -(Σ_{j=1..k} q_j·d_{k-j}) / q_0 (kernels/atan.ts renders them into
// shaders/elementwise.wgsl).
// Reverse mode: the Jacobian is "multiply by d": x̄_j = Σ_{k=j..K} ȳ_k·d_{k-j}.

const ATAN_PIO4: f32 = 0.7853981633974483;
const ATAN_PIO2: f32 = 1.5707963267948966;

// atan to a few ulp (WGSL promises the builtin only to 4096 ulp): |x| > 1 folds to π/2 − atan(1/|x|),
// r > tan(π/8) to π/4 + atan((r − 1)/(r + 1)), so the series runs on |r| <= tan(π/8) = 0.4142,
// where its terms to r^17 leave a truncation below 0.1 ulp.
fn accurate_atan(v: f32) -> f32 {
  let a = abs(v);
  var r = select(a, 1.0 / a, a > 1.0);
  var base = 0.0;
  if (r > 0.41421356) {
    base = ATAN_PIO4;
    r = (r - 1.0) / (r + 1.0);
  }
  let z = r * r;
  let p = z * (-1.0 / 3.0 + z * (1.0 / 5.0 + z * (-1.0 / 7.0 + z * (1.0 / 9.0 + z * (-1.0 / 11.0
    + z * (1.0 / 13.0 + z * (-1.0 / 15.0 + z * (1.0 / 17.0))))))));
  var t = base + (r + r * p);
  if (a > 1.0) { t = ATAN_PIO2 - t; }
  return select(t, -t, v < 0.0);
}

// y_0 = atan(x_0), q_0 = 1 + x_0², d_0 = 1/q_0.
fn atan_start(x0: vec4f) -> array<vec4f, 3> {
  var yv: vec4f;
  for (var lane = 0u; lane < 4u; lane++) { yv[lane] = accurate_atan(x0[lane]); }
  let q0 = 1.0 + x0 * x0;
  return array<vec4f, 3>(yv, q0, 1.0 / q0);
}
