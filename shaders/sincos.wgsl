// sin and cos of a jet, computed together: s = sin(x), c = cos(x) satisfy s' = c·x', c' = -s·x',
// so k·s_k = Σ_{j=1..k} j·x_j·c_{k-j} and k·c_k = -Σ_{j=1..k} j·x_j·s_{k-j}. s_0 and c_0 come from
// accurate_sincos (math.wgsl): the builtins are only good to ~2e-4 on some adapters.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

var<private> xs: array<f32, MAX_COEFFS>;
var<private> ss: array<f32, MAX_COEFFS>;
var<private> cs: array<f32, MAX_COEFFS>;

// Both series of one (row, feature), into ss and cs; the entry points keep the one they need.
fn sincos_series(row: u32, f: u32) {
  let F = params.features;
  let K = params.order;
  for (var k = 0u; k <= K; k++) { xs[k] = x[jet_index(row, k, f, K, F)]; }
  let sc = accurate_sincos(xs[0]);
  ss[0] = sc.x;
  cs[0] = sc.y;
  for (var k = 1u; k <= K; k++) {
    var p = 0.0;
    var q = 0.0;
    for (var j = 1u; j <= k; j++) {
      let jx = f32(j) * xs[j];
      p += jx * cs[k - j];
      q += jx * ss[k - j];
    }
    ss[k] = p / f32(k);
    cs[k] = -q / f32(k);
  }
}

@compute @workgroup_size(64)
fn sin_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  sincos_series(t / F, t % F);
  for (var k = 0u; k <= K; k++) { y[jet_index(t / F, k, t % F, K, F)] = ss[k]; }
}

@compute @workgroup_size(64)
fn cos_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  sincos_series(t / F, t % F);
  for (var k = 0u; k <= K; k++) { y[jet_index(t / F, k, t % F, K, F)] = cs[k]; }
}
