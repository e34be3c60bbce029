// sigmoid of a jet. y = 1/(1 + exp(-x)) satisfies y' = z·x' with z = y·(1 - y), so
// k·y_k = Σ_{j=1..k} j·x_j·z_{k-j} and, for k >= 1, z_k = (1 - 2·y_0)·y_k - Σ_{j=1..k-1} y_j·y_{k-j}.
// With e = exp(-|x_0|): y_0 = 1/(1 + e) or e/(1 + e), z_0 = e/(1 + e)², 1 - 2·y_0 = ±expm1(-|x_0|)/(1 + e).
// These keep full relative precision where y·(1 - y) and 1 - 2·y cancel (|x_0| large, x_0 near 0).

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn sigmoid_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var ys: array<f32, MAX_COEFFS>;
  var zs: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { xs[k] = x[jet_index(row, k, f, K, F)]; }
  let e = accurate_exp(-abs(xs[0]));
  let w = sign(xs[0]) * accurate_expm1(-abs(xs[0])) / (1.0 + e);
  ys[0] = select(1.0, e, xs[0] < 0.0) / (1.0 + e);
  zs[0] = e / ((1.0 + e) * (1.0 + e));
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += f32(j) * xs[j] * zs[k - j]; }
    ys[k] = s / f32(k);
    var q = 0.0;
    for (var j = 1u; j < k; j++) { q += ys[j] * ys[k - j]; }
    zs[k] = w * ys[k] - q;
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = ys[k]; }
}

// ---- reverse mode ----
// Perturbing x by δ perturbs sigmoid(x) by z·δ, a Cauchy product with the derivative series
// z = y·(1 − y) the forward recurrence already carries: x̄_j = Σ_{k=j..K} ȳ_k·z_{k-j} (the
// correlation, as in mul_vjp). The backward walk of the recurrence sums to exactly this; y and z
// are recomputed as in the forward pass, with the same accurate z_0 and 1 − 2·y_0.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

@compute @workgroup_size(64)
fn sigmoid_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var ys: array<f32, MAX_COEFFS>;
  var zs: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { xs[k] = x[jet_index(row, k, f, K, F)]; }
  let e = accurate_exp(-abs(xs[0]));
  let w = sign(xs[0]) * accurate_expm1(-abs(xs[0])) / (1.0 + e);
  ys[0] = select(1.0, e, xs[0] < 0.0) / (1.0 + e);
  zs[0] = e / ((1.0 + e) * (1.0 + e));
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += f32(j) * xs[j] * zs[k - j]; }
    ys[k] = s / f32(k);
    var q = 0.0;
    for (var j = 1u; j < k; j++) { q += ys[j] * ys[k - j]; }
    zs[k] = w * ys[k] - q;
  }
  // xs is free now: it takes ȳ.
  for (var k = 0u; k <= K; k++) { xs[k] = ybar[jet_index(row, k, f, K, F)]; }
  for (var j = 0u; j <= K; j++) {
    var s = 0.0;
    for (var k = j; k <= K; k++) { s += xs[k] * zs[k - j]; }
    xbar[jet_index(row, j, f, K, F)] = s;
  }
}
