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
