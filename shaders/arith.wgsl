// Sums and scalings of jets act on each coefficient alone: (a ± b)_k = a_k ± b_k, (s·x)_k = s·x_k.
// add/sub and scale take different operands and uniforms, so they bind different variables
// (each entry point's layout holds only what it uses; y is shared).

struct Params { rows: u32, order: u32, features: u32 }
struct ScaleParams { rows: u32, order: u32, features: u32, s: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<uniform> scale_params: ScaleParams;
@group(0) @binding(5) var<storage, read> x: array<f32>;

@compute @workgroup_size(64)
fn add_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(t / F, k, t % F, K, F);
    y[i] = a[i] + b[i];
  }
}

@compute @workgroup_size(64)
fn sub_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(t / F, k, t % F, K, F);
    y[i] = a[i] - b[i];
  }
}

@compute @workgroup_size(64)
fn scale_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = scale_params.features;
  let K = scale_params.order;
  if (t >= scale_params.rows * F) { return; }
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(t / F, k, t % F, K, F);
    y[i] = scale_params.s * x[i];
  }
}
