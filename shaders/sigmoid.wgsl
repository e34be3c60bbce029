// sigmoid of a jet. y = 1/(1 + exp(-x)) satisfies y' = z·x' with z = y·(1 - y), so
// k·y_k = Σ_{j=1..k} j·x_j·z_{k-j} and, for k >= 1, z_k = (1 - 2·y_0)·y_k - Σ_{j=1..k-1} y_j·y_{k-j}
// (kernels/sigmoid.ts renders it into shaders/elementwise.wgsl).
// Reverse mode: perturbing x by δ perturbs sigmoid(x) by z·δ, a Cauchy product with the
// derivative series z the recurrence already carries: x̄_j = Σ_{k=j..K} ȳ_k·z_{k-j}.

// y_0, z_0 and w = 1 - 2·y_0 of four lanes. With e = exp(-|x_0|): y_0 = 1/(1 + e) or e/(1 + e),
// z_0 = e/(1 + e)², w = ±expm1(-|x_0|)/(1 + e). These keep full relative precision where
// y·(1 - y) and 1 - 2·y cancel (|x_0| large, x_0 near 0).
fn sigmoid_start(x0: vec4f) -> array<vec4f, 3> {
  var yv: vec4f;
  var zv: vec4f;
  var wv: vec4f;
  for (var lane = 0u; lane < 4u; lane++) {
    let v = x0[lane];
    let e = accurate_exp(-abs(v));
    wv[lane] = sign(v) * accurate_expm1(-abs(v)) / (1.0 + e);
    yv[lane] = select(1.0, e, v < 0.0) / (1.0 + e);
    zv[lane] = e / ((1.0 + e) * (1.0 + e));
  }
  return array<vec4f, 3>(yv, zv, wv);
}
