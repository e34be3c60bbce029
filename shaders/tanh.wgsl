// tanh of a jet. y = tanh(x) satisfies y' = (1 - y²)·x'. With z = 1 - y² (a jet too), the
// normalized coefficients follow k·y_k = Σ_{j=1..k} j·x_j·z_{k-j} and z_k = -Σ_{j=0..k} y_j·y_{k-j}
// (kernels/tanh.ts renders it into shaders/elementwise.wgsl; z_k's sum is symmetric, so half of
// it is computed and doubled).
// Reverse mode: perturbing x by δ perturbs tanh(x) by z·δ, a Cauchy product with the derivative
// series z the recurrence already carries: x̄_j = Σ_{k=j..K} ȳ_k·z_{k-j}.

// y_0 and z_0 of four lanes, from e = exp(-2|x_0|): tanh = ∓expm1(-2|x_0|)/(1+e) and
// 1 - tanh² = 4e/(1+e)², which keep full relative precision where the builtin tanh (defined
// through sinh/cosh), 1 - e (small |x_0|) and 1 - y·y lose it. exp and expm1 are math.wgsl's:
// the builtin exp's error grows with |x| and z_0 scales every order above 0.
fn tanh_start(x0: vec4f) -> array<vec4f, 2> {
  var yv: vec4f;
  var zv: vec4f;
  for (var lane = 0u; lane < 4u; lane++) {
    let e = accurate_exp(-2.0 * abs(x0[lane]));
    yv[lane] = -sign(x0[lane]) * accurate_expm1(-2.0 * abs(x0[lane])) / (1.0 + e);
    zv[lane] = 4.0 * e / ((1.0 + e) * (1.0 + e));
  }
  return array<vec4f, 2>(yv, zv);
}
