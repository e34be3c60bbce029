// log of a jet. y = log(x) satisfies x·y' = x', so k·x_0·y_k = k·x_k - Σ_{j=1..k-1} j·y_j·x_{k-j}.
// Only y_0 needs the logarithm itself (accurate_log, math.wgsl: the builtin is only absolutely
// accurate near 1). x_0 = 0 gives y_0 = -inf and x_0 < 0 gives NaN, as in math; the higher
// orders do not flag it (they depend on x alone).

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn log_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var ys: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { xs[k] = x[jet_index(row, k, f, K, F)]; }
  ys[0] = accurate_log(xs[0]);
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j < k; j++) { s += f32(j) * ys[j] * xs[k - j]; }
    ys[k] = (xs[k] - s / f32(k)) / xs[0];
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = ys[k]; }
}

// ---- reverse mode ----
// Perturbing x by δ perturbs log(x) by δ/x, a series division: with L the lower-triangular
// Toeplitz matrix of "multiply by x", dy = L⁻¹·dx, so x̄ = L⁻ᵀ·ȳ, the transposed (upper)
// triangular solve Σ_{k=j..K} x_{k-j}·x̄_k = ȳ_j, by back-substitution from j = K down:
// x̄_j = (ȳ_j − Σ_{k=j+1..K} x_{k-j}·x̄_k) / x_0. It needs neither y nor the logarithm; like the
// forward recurrence it divides by x_0 once per order. x̄ overwrites ȳ in place (x̄_k for k > j
// are final before ȳ_j is read).

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

@compute @workgroup_size(64)
fn log_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var w: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) {
    xs[k] = x[jet_index(row, k, f, K, F)];
    w[k] = ybar[jet_index(row, k, f, K, F)];
  }
  for (var i = 0u; i <= K; i++) {
    let j = K - i;
    var s = 0.0;
    for (var k = j + 1u; k <= K; k++) { s += xs[k - j] * w[k]; }
    w[j] = (w[j] - s) / xs[0];
  }
  for (var k = 0u; k <= K; k++) { xbar[jet_index(row, k, f, K, F)] = w[k]; }
}
