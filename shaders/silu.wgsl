// SiLU of a jet, y = x·s with s = sigmoid(x): y_k = Σ_{j=0..k} x_j·s_{k-j}, with s's own
// recurrence beside it (shaders/sigmoid.wgsl); kernels/silu.ts renders both into
// shaders/elementwise.wgsl.
// Reverse mode: the derivative series is d = s + x·z (z = s·(1 - s) = s'), so
// x̄_j = Σ_{k=j..K} ȳ_k·d_{k-j}; d is built only in the reverse kernel.

// y_0 = x_0·s_0 and d_0 = s_0 + x_0·z_0, then sigmoid's s_0, z_0 and 1 - 2·s_0.
fn silu_start(x0: vec4f) -> array<vec4f, 5> {
  let s = sigmoid_start(x0);
  return array<vec4f, 5>(x0 * s[0], s[0], s[1], s[0] + x0 * s[1], s[2]);
}
