// A jet's order changed without touching its coefficients: coefficient k of the output is
// coefficient k of the input up to the input's order, and 0 above it. Raising the order gives a
// jet whose coefficients above the old order are zero (what a jet of input points × directions
// is: only c_0 and c_1 nonzero); lowering it keeps coefficients 0..order, which is raising's
// reverse mode (the cotangents of the zero coefficients go nowhere). One thread per output element.

struct Params { rows: u32, in_order: u32, out_order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn change_order(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let coeffs = params.out_order + 1u;
  if (t >= params.rows * coeffs * F) { return; }
  let f = t % F;
  let k = (t / F) % coeffs;
  let row = t / (F * coeffs);
  // min() keeps the (discarded) read of orders above the input's inside x.
  let v = x[jet_index(row, min(k, params.in_order), f, params.in_order, F)];
  y[t] = select(0.0, v, k <= params.in_order);
}
