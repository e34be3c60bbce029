// sqrt of a jet. y = sqrt(x) satisfies y·y = x, so 2·y_0·y_k = x_k - Σ_{j=1..k-1} y_j·y_{k-j}
// (kernels/sqrt.ts renders it into shaders/elementwise.wgsl). The builtin sqrt is within a few
// ulp everywhere. x_0 < 0 gives NaN, as in math; at x_0 = 0 the series does not exist and the
// orders above 0 come out inf/NaN.
// Reverse mode: perturbing x by δ perturbs y by δ/(2y) (from 2y·dy = dx), a series division by
// 2y: with L the lower-triangular Toeplitz matrix of "multiply by y", x̄ = ½·L⁻ᵀ·ȳ, the
// transposed triangular solve by back-substitution from j = K down, then ·½ (exact).

fn sqrt_start(x0: vec4f) -> array<vec4f, 1> {
  return array<vec4f, 1>(sqrt(x0));
}
