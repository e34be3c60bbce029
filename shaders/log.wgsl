// log of a jet. y = log(x) satisfies x·y' = x', so k·x_0·y_k = k·x_k - Σ_{j=1..k-1} j·y_j·x_{k-j}
// (kernels/log.ts renders it into shaders/elementwise.wgsl). Only y_0 needs the logarithm
// itself (accurate_log, math.wgsl: the builtin is only absolutely accurate near 1). x_0 = 0
// gives y_0 = -inf and x_0 < 0 gives NaN, as in math; the higher orders do not flag it.
// Reverse mode: perturbing x by δ perturbs log(x) by δ/x, a series division: with L the
// lower-triangular Toeplitz matrix of "multiply by x", dy = L⁻¹·dx, so x̄ = L⁻ᵀ·ȳ, the
// transposed triangular solve Σ_{k=j..K} x_{k-j}·x̄_k = ȳ_j by back-substitution from j = K
// down. It needs neither y nor the logarithm, and divides by x_0 once per order like the
// forward recurrence.

fn log_start(x0: vec4f) -> array<vec4f, 1> {
  return array<vec4f, 1>(vec4f(accurate_log(x0.x), accurate_log(x0.y), accurate_log(x0.z), accurate_log(x0.w)));
}
