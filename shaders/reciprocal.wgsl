// Reciprocal of a jet. z = 1/x satisfies x·z = 1, so matching order k ≥ 1 gives
// z_k = -(Σ_{j=1..k} x_j·z_{k-j}) / x_0 (kernels/reciprocal.ts renders it into
// shaders/elementwise.wgsl). Each order divides by x_0 rather than multiplying by 1/x_0, one
// rounding instead of two. x_0 = 0 gives inf/NaN on IEEE hardware (WGSL leaves the value
// indeterminate); callers check their divisors.
// Reverse mode: perturbing x by δ perturbs z by −z·δ/x. With L_x, L_z the lower-triangular
// Toeplitz matrices of "multiply by x" and "by z", x̄ = −L_zᵀ·L_x⁻ᵀ·ȳ: the transposed
// triangular solve by back-substitution (dividing by x_0 once per order, like the forward
// recurrence), then the correlation with z (as in mul_vjp), negated.

fn reciprocal_start(x0: vec4f) -> array<vec4f, 1> {
  return array<vec4f, 1>(1.0 / x0);
}
