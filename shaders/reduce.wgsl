// Sums (scale 1) and means (scale 1/n) of jets. Both are linear, so every order is reduced the
// same way. One thread per output element loops over its n inputs: enough parallelism for our
// sizes (rows·(K+1) or (K+1)·F outputs) and no barriers, which SwiftShader makes expensive.

struct Params { rows: u32, order: u32, features: u32, scale: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

// Over the features of each (row, order): output [rows, K+1, 1]. The inputs are contiguous.
@compute @workgroup_size(64)
fn sum_features_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  if (t >= params.rows * (params.order + 1u)) { return; }
  var a = 0.0;
  for (var f = 0u; f < F; f++) { a += x[t * F + f]; }
  y[t] = a * params.scale;
}

// Over the rows for each (order, feature): output [1, K+1, F]. Row b of (k, f) sits at
// b·(K+1)·F + (k·F + f), so adjacent threads read adjacent values.
@compute @workgroup_size(64)
fn sum_rows_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let stride = (params.order + 1u) * params.features;
  if (t >= stride) { return; }
  var a = 0.0;
  for (var b = 0u; b < params.rows; b++) { a += x[b * stride + t]; }
  y[t] = a * params.scale;
}

// ---- reverse mode: broadcasts ----
// y = scale·Σ x over a group gives x̄ = scale·ȳ for every member. One thread per x̄ element.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

// ȳ is [rows, K+1, 1]: element (row, k, f) of x̄ takes ȳ[row·(K+1) + k].
@compute @workgroup_size(64)
fn sum_features_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * (params.order + 1u) * params.features) { return; }
  xbar[t] = ybar[t / params.features] * params.scale;
}

// ȳ is [1, K+1, F]: every row of x̄ takes it.
@compute @workgroup_size(64)
fn sum_rows_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let stride = (params.order + 1u) * params.features;
  if (t >= params.rows * stride) { return; }
  xbar[t] = ybar[t % stride] * params.scale;
}
