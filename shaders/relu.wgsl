// relu of a jet, as the one-sided directional derivative: relu(x + t·v) for small t > 0 is the
// jet itself when the series x(t) is eventually positive and 0 when it is eventually negative.
// Which one is decided by the first nonzero coefficient (c_0 unless c_0 == 0, the kink);
// an all-zero jet stays zero. -0.0 counts as zero.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn relu_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var lead = 0.0;
  for (var k = 0u; k <= K && lead == 0.0; k++) { lead = x[jet_index(row, k, f, K, F)]; }
  let keep = lead > 0.0;
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(row, k, f, K, F);
    y[i] = select(0.0, x[i], keep);
  }
}

// ---- four features per thread ----
// When features % 4 == 0, four adjacent features of one row sit in one aligned vec4 at every
// order: one thread moves them with vec4 loads and stores. Training's order-0 relu is a
// memory-bound copy, and on SwiftShader the per-thread overhead dominated the scalar kernel
// (measured 3-4× slower than this variant at K = 0). Same rule, lane by lane.
@group(0) @binding(5) var<storage, read> x4: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> y4: array<vec4f>;

// Lanes whose series is kept: the first nonzero coefficient of each lane is positive.
fn keep4(row: u32, f4: u32, K: u32, F4: u32) -> vec4<bool> {
  var lead = x4[jet_index(row, 0u, f4, K, F4)];
  for (var k = 1u; k <= K && any(lead == vec4f(0.0)); k++) {
    lead = select(lead, x4[jet_index(row, k, f4, K, F4)], lead == vec4f(0.0));
  }
  return lead > vec4f(0.0);
}

@compute @workgroup_size(64)
fn relu_forward4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F4 = params.features / 4u;
  let K = params.order;
  if (t >= params.rows * F4) { return; }
  let row = t / F4;
  let f4 = t % F4;
  let keep = keep4(row, f4, K, F4);
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(row, k, f4, K, F4);
    y4[i] = select(vec4f(0.0), x4[i], keep);
  }
}

// ---- reverse mode ----
// Where the forward pass keeps the jet, y = x and x̄ = ȳ; where it zeroes it, x̄ = 0. The
// decision is the forward one (first nonzero coefficient), so the mask never disagrees with it.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

@compute @workgroup_size(64)
fn relu_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var lead = 0.0;
  for (var k = 0u; k <= K && lead == 0.0; k++) { lead = x[jet_index(row, k, f, K, F)]; }
  let keep = lead > 0.0;
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(row, k, f, K, F);
    xbar[i] = select(0.0, ybar[i], keep);
  }
}

@group(0) @binding(7) var<storage, read> ybar4: array<vec4f>;
@group(0) @binding(8) var<storage, read_write> xbar4: array<vec4f>;

@compute @workgroup_size(64)
fn relu_vjp4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F4 = params.features / 4u;
  let K = params.order;
  if (t >= params.rows * F4) { return; }
  let row = t / F4;
  let f4 = t % F4;
  let keep = keep4(row, f4, K, F4);
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(row, k, f4, K, F4);
    xbar4[i] = select(vec4f(0.0), ybar4[i], keep);
  }
}
