// exp of a jet. y = exp(x) satisfies y' = y·x', so k·y_k = Σ_{j=1..k} j·x_j·y_{k-j}
// (kernels/exp.ts renders it into shaders/elementwise.wgsl). y_0 scales every order, so it
// comes from accurate_exp (math.wgsl), not the builtin.
// Reverse mode: perturbing x by δ perturbs exp(x) by exp(x)·δ, a Cauchy product with y: the
// Jacobian of the truncated map is "multiply by y", so x̄_j = Σ_{k=j..K} ȳ_k·y_{k-j} (the
// correlation, as in mul_vjp); y is recomputed as in the forward pass.

fn exp_start(x0: vec4f) -> array<vec4f, 1> {
  return array<vec4f, 1>(vec4f(accurate_exp(x0.x), accurate_exp(x0.y), accurate_exp(x0.z), accurate_exp(x0.w)));
}
