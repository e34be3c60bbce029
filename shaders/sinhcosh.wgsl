// sinh and cosh of a jet, computed together: s = sinh(x), c = cosh(x) satisfy s' = c·x',
// c' = s·x', so k·s_k = Σ_{j=1..k} j·x_j·c_{k-j} and k·c_k = Σ_{j=1..k} j·x_j·s_{k-j}
// (kernels/sinhcosh.ts renders it into shaders/elementwise.wgsl).
// Reverse mode: the Jacobians are "multiply by c" (sinh) and "multiply by s" (cosh):
// x̄_j = Σ_{k=j..K} ȳ_k·c_{k-j}, respectively ·s_{k-j}.

// s_0 = (expm1(x_0) − expm1(−x_0))/2: the two terms have opposite signs, so nothing cancels
// near 0, where e^x − e^−x would; c_0 = (e^x + e^−x)/2 (math.wgsl's exp and expm1).
fn sinhcosh_start(x0: vec4f) -> array<vec4f, 2> {
  var s: vec4f;
  var c: vec4f;
  for (var lane = 0u; lane < 4u; lane++) {
    let v = x0[lane];
    s[lane] = 0.5 * (accurate_expm1(v) - accurate_expm1(-v));
    c[lane] = 0.5 * (accurate_exp(v) + accurate_exp(-v));
  }
  return array<vec4f, 2>(s, c);
}
