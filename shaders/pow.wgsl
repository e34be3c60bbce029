// x^a of a jet for a real a (a uniform), as exp(a·log x): y = x^a satisfies x·y' = a·y·x', so
// matching order k - 1 gives k·x_0·y_k = Σ_{j=1..k} (a·j − (k − j))·x_j·y_{k-j}, i.e.
// y_k = ((a + 1)·(1/k)Σ_{j=1..k} j·x_j·y_{k-j} − Σ_{j=1..k} x_j·y_{k-j}) / x_0
// (kernels/pow.ts renders it into shaders/elementwise.wgsl). x_0 <= 0 gives NaN or inf, as
// log does; integer powers are powi (kernels/power.ts), which is exact at x_0 = 0.
// Reverse mode: dy = a·y/x·dx, so with L_x, L_y the Toeplitz matrices of "multiply by x" and
// "by y", x̄ = a·L_yᵀ·L_x⁻ᵀ·ȳ: back-substitution by x, the correlation with y, times a.

// y_0 = exp(a·log x_0) with math.wgsl's exp and log: the rounding of a·log x_0 gives
// |a·log x_0|·u relative error in y_0.
fn pow_start(x0: vec4f) -> array<vec4f, 1> {
  var yv: vec4f;
  for (var lane = 0u; lane < 4u; lane++) { yv[lane] = accurate_exp(params.a * accurate_log(x0[lane])); }
  return array<vec4f, 1>(yv);
}
