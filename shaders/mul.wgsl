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

// ---- reverse mode ----
// (a·b)_k is linear in a for fixed b, so ā_j = Σ_{k=j..K} ȳ_k·b_{k-j}: the correlation of ȳ with
// b. b̄ is the same correlation with a in b's place (kernels/mul.ts binds a to `b` for it), and
// a VJP through "multiply by a fixed jet" (powi, via f'(x)) is this one dispatch.

@group(0) @binding(4) var<storage, read> ybar: array<f32>;
@group(0) @binding(5) var<storage, read_write> abar: array<f32>;

@compute @workgroup_size(64)
fn mul_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var cb: array<f32, MAX_COEFFS>;
  var yb: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) {
    cb[k] = b[jet_index(row, k, f, K, F)];
    yb[k] = ybar[jet_index(row, k, f, K, F)];
  }
  for (var j = 0u; j <= K; j++) {
    var s = 0.0;
    for (var k = j; k <= K; k++) { s += yb[k] * cb[k - j]; }
    abar[jet_index(row, j, f, K, F)] = s;
  }
}
