// Reciprocal and quotient of jets. z = a/b satisfies b·z = a, so matching order k gives
// z_k = (a_k - Σ_{j=1..k} b_j·z_{k-j}) / b_0 (reciprocal: a = 1). Each order divides by b_0
// rather than multiplying by 1/b_0, one rounding instead of two. b_0 = 0 gives inf/NaN on
// IEEE hardware (WGSL leaves the value indeterminate); callers check their divisors.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> a: array<f32>;
@group(0) @binding(4) var<storage, read> b: array<f32>;

@compute @workgroup_size(64)
fn reciprocal_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var zs: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { xs[k] = x[jet_index(row, k, f, K, F)]; }
  zs[0] = 1.0 / xs[0];
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += xs[j] * zs[k - j]; }
    zs[k] = -s / xs[0];
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = zs[k]; }
}

@compute @workgroup_size(64)
fn div_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var bs: array<f32, MAX_COEFFS>;
  var zs: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { bs[k] = b[jet_index(row, k, f, K, F)]; }
  for (var k = 0u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += bs[j] * zs[k - j]; }
    zs[k] = (a[jet_index(row, k, f, K, F)] - s) / bs[0];
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = zs[k]; }
}
