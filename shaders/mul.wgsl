// Product of two jets: the Cauchy product (a·b)_k = Σ_{j=0..k} a_j·b_{k-j}.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn mul_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var ca: array<f32, MAX_COEFFS>;
  var cb: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) {
    ca[k] = a[jet_index(row, k, f, K, F)];
    cb[k] = b[jet_index(row, k, f, K, F)];
  }
  for (var k = 0u; k <= K; k++) {
    var s = 0.0;
    for (var j = 0u; j <= k; j++) { s += ca[j] * cb[k - j]; }
    y[jet_index(row, k, f, K, F)] = s;
  }
}
