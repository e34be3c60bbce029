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
