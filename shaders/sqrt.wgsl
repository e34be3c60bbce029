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
