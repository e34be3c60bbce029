// softplus of a jet, y = log(1 + exp(x)). Its derivative is the sigmoid s, so
// k·y_k = Σ_{j=1..k} j·x_j·s_{k-j}, with s's own recurrence beside it (shaders/sigmoid.wgsl:
// s' = z·x', z = s·(1 - s)); kernels/softplus.ts renders both into shaders/elementwise.wgsl.
// Reverse mode: the Jacobian is "multiply by s": x̄_j = Σ_{k=j..K} ȳ_k·s_{k-j}.

// log(1 + u) for 0 <= u <= 1 to a few ulp: where 1 + u rounds, the rounded argument's log is
// rescaled by u/((1 + u) - 1) (exact when 1 + u is; Goldberg's correction), and 1 + u == 1 gives u.
fn log1p_unit(u: f32) -> f32 {
  let p = 1.0 + u;
  if (p == 1.0) { return u; }
  return accurate_log(p) * (u / (p - 1.0));
}

// y_0 = max(x_0, 0) + log(1 + exp(-|x_0|)) (no overflow, full precision for x_0 → -∞), then
// sigmoid's s_0, z_0 and 1 - 2·s_0.
fn softplus_start(x0: vec4f) -> array<vec4f, 4> {
  let s = sigmoid_start(x0);
  var yv: vec4f;
  for (var lane = 0u; lane < 4u; lane++) {
    yv[lane] = max(x0[lane], 0.0) + log1p_unit(accurate_exp(-abs(x0[lane])));
  }
  return array<vec4f, 4>(yv, s[0], s[1], s[2]);
}
