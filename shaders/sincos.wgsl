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

// ---- reverse mode ----
// Perturbing x by δ perturbs sin(x) by cos(x)·δ and cos(x) by −sin(x)·δ, Cauchy products with
// the other series: x̄_j = Σ_{k=j..K} ȳ_k·c_{k-j} for sin and −Σ_{k=j..K} ȳ_k·s_{k-j} for cos (the
// correlation, as in mul_vjp). The backward walk of the coupled recurrence sums to exactly this;
// the closed form needs only the series sincos_series already computes.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

var<private> yb: array<f32, MAX_COEFFS>;

// x̄ = factor·L_dᵀ·ȳ for the derivative series d: cs (sin, factor 1) or ss (cos, factor −1).
fn sincos_vjp(row: u32, f: u32, use_cos: bool, factor: f32) {
  let F = params.features;
  let K = params.order;
  sincos_series(row, f);
  for (var k = 0u; k <= K; k++) { yb[k] = ybar[jet_index(row, k, f, K, F)]; }
  for (var j = 0u; j <= K; j++) {
    var s = 0.0;
    for (var k = j; k <= K; k++) { s += yb[k] * select(ss[k - j], cs[k - j], use_cos); }
    xbar[jet_index(row, j, f, K, F)] = factor * s;
  }
}

@compute @workgroup_size(64)
fn sin_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * params.features) { return; }
  sincos_vjp(t / params.features, t % params.features, true, 1.0);
}

@compute @workgroup_size(64)
fn cos_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * params.features) { return; }
  sincos_vjp(t / params.features, t % params.features, false, -1.0);
}
