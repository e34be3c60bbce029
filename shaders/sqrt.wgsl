// sqrt of a jet. y = sqrt(x) satisfies y·y = x, so 2·y_0·y_k = x_k - Σ_{j=1..k-1} y_j·y_{k-j}.
// The builtin sqrt is within a few ulp everywhere. x_0 < 0 gives NaN, as in math; at x_0 = 0
// the series does not exist and the orders above 0 come out inf/NaN.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn sqrt_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var ys: array<f32, MAX_COEFFS>;
  ys[0] = sqrt(x[jet_index(row, 0u, f, K, F)]);
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j < k; j++) { s += ys[j] * ys[k - j]; }
    ys[k] = (x[jet_index(row, k, f, K, F)] - s) / (2.0 * ys[0]);
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = ys[k]; }
}

// ---- reverse mode ----
// Perturbing x by δ perturbs y = sqrt(x) by δ/(2y) (from 2y·dy = dx), a series division by 2y:
// with L the lower-triangular Toeplitz matrix of "multiply by y", x̄ = ½·L⁻ᵀ·ȳ, the transposed
// triangular solve Σ_{k=j..K} y_{k-j}·v_k = ȳ_j by back-substitution from j = K down, then
// x̄ = v/2 (exact). y is recomputed as in the forward pass; v overwrites ȳ in place.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

@compute @workgroup_size(64)
fn sqrt_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var ys: array<f32, MAX_COEFFS>;
  var v: array<f32, MAX_COEFFS>;
  ys[0] = sqrt(x[jet_index(row, 0u, f, K, F)]);
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j < k; j++) { s += ys[j] * ys[k - j]; }
    ys[k] = (x[jet_index(row, k, f, K, F)] - s) / (2.0 * ys[0]);
  }
  for (var k = 0u; k <= K; k++) { v[k] = ybar[jet_index(row, k, f, K, F)]; }
  for (var i = 0u; i <= K; i++) {
    let j = K - i;
    var s = 0.0;
    for (var k = j + 1u; k <= K; k++) { s += ys[k - j] * v[k]; }
    v[j] = (v[j] - s) / ys[0];
  }
  for (var k = 0u; k <= K; k++) { xbar[jet_index(row, k, f, K, F)] = 0.5 * v[k]; }
}
