// A jet's order changed without touching its coefficients. raise_order: a jet of order `low`
// seen as one of order `high` > low whose coefficients above low are zero (what a jet of input
// points × directions is: only c_0 and c_1 nonzero). truncate_order: the coefficients 0..low of
// a jet of order high, which is raise_order's reverse mode (the cotangents of the zero
// coefficients go nowhere). One thread per output element.

struct Params { rows: u32, low: u32, high: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn raise_order(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let coeffs = params.high + 1u;
  if (t >= params.rows * coeffs * F) { return; }
  let f = t % F;
  let k = (t / F) % coeffs;
  let row = t / (F * coeffs);
  // min() keeps the (discarded) read of orders above low inside x.
  let v = x[jet_index(row, min(k, params.low), f, params.low, F)];
  y[t] = select(0.0, v, k <= params.low);
}

@compute @workgroup_size(64)
fn truncate_order(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let coeffs = params.low + 1u;
  if (t >= params.rows * coeffs * F) { return; }
  let f = t % F;
  let k = (t / F) % coeffs;
  let row = t / (F * coeffs);
  y[t] = x[jet_index(row, k, f, params.high, F)];
}
