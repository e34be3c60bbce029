// Inverted dropout of a jet: y = x · m/keep with a Bernoulli(keep) mask m per (row, feature),
// the same for every order k (the mask does not depend on t). The mask is a hash of (seed, row,
// feature), so the backward pass recomputes it instead of storing it: the op is linear in x and
// its own vector-Jacobian product (x̄ = ȳ · m/keep with the same seed).

struct Params { rows: u32, order: u32, features: u32, seed: u32, threshold: u32, scale: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

// PCG hash (Jarzynski & Olano 2020): well mixed for consecutive inputs.
fn pcg(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}

@compute @workgroup_size(64)
fn dropout_apply(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  // Kept with probability threshold/2³² = keep.
  let keep = pcg(pcg(params.seed ^ pcg(row)) ^ f) < params.threshold;
  let s = select(0.0, params.scale, keep);
  for (var k = 0u; k <= K; k++) {
    let i = jet_index(row, k, f, K, F);
    y[i] = x[i] * s;
  }
}
