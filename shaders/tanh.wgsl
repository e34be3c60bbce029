// tanh of a jet. y = tanh(x) satisfies y' = (1 - y²)·x'. With z = 1 - y² (a jet too), the
// normalized coefficients follow k·y_k = Σ_{j=1..k} j·x_j·z_{k-j} and z_k = -Σ_{j=0..k} y_j·y_{k-j}.
// y_0 and z_0 come from e = exp(-2|x_0|): tanh = ±(1-e)/(1+e) and 1 - tanh² = 4e/(1+e)², which
// keep full relative precision where the builtin tanh (defined through sinh/cosh) and 1 - y·y lose it.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn tanh_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
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
  let e = exp(-2.0 * abs(xs[0]));
  ys[0] = sign(xs[0]) * (1.0 - e) / (1.0 + e);
  zs[0] = 4.0 * e / ((1.0 + e) * (1.0 + e));
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += f32(j) * xs[j] * zs[k - j]; }
    ys[k] = s / f32(k);
    var q = 0.0;
    for (var j = 0u; j <= k; j++) { q += ys[j] * ys[k - j]; }
    zs[k] = -q;
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = ys[k]; }
}
