// tanh of a hyper-dual number: x = Σ_S x_S ε_S over the 2^L subsets S of {ε_1..ε_L}, ε_i² = 0,
// i.e. L nested first-order dual numbers. The components ride the jet's coefficient axis
// ([row][S][feature], S as a bitmask, ∅ first), so the linear kernels apply unchanged.
// The rule is nested forward mode's own: y' = d·x' with d = 1 − y², applied along one ε_i of
// S at a time, and products are subset convolutions (ε_T·ε_U = ε_{T∪U} when T∩U = ∅, else 0):
//   y_S = Σ_{T ⊆ S∖i} d_T · x_{(S∖i∖T) ∪ i}      (i: the highest ε of S)
//   d_S = −(y·y)_S = −2 Σ_{T ⊆ S∖l} y_{T ∪ l} · y_{S∖l∖T}   (l: the lowest ε of S; pairs halved)
// which costs 3^L per element, as L nested JVPs of the product rule do. No Taylor symmetry is
// used: that is what a jet does and what nesting does not.

struct Params { rows: u32, components: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> d: array<f32>;

fn at(row: u32, s: u32, f: u32) -> u32 {
  return (row * params.components + s) * params.features + f;
}

@compute @workgroup_size(64)
fn hyperdual_tanh(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  let x0 = x[at(row, 0u, f)];
  let e = exp(-2.0 * abs(x0));
  let y0 = sign(x0) * (1.0 - e) / (1.0 + e);
  y[at(row, 0u, f)] = y0;
  d[at(row, 0u, f)] = 4.0 * e / ((1.0 + e) * (1.0 + e));
  for (var s = 1u; s < params.components; s++) {
    let i = 1u << firstLeadingBit(s);
    let r = s ^ i;
    var acc = 0.0;
    var sub = r;
    loop {
      acc += d[at(row, sub, f)] * x[at(row, (r ^ sub) | i, f)];
      if (sub == 0u) { break; }
      sub = (sub - 1u) & r;
    }
    y[at(row, s, f)] = acc;
    let l = s & (~s + 1u);
    let rest = s ^ l;
    var sq = 0.0;
    sub = rest;
    loop {
      sq += y[at(row, sub | l, f)] * y[at(row, rest ^ sub, f)];
      if (sub == 0u) { break; }
      sub = (sub - 1u) & rest;
    }
    d[at(row, s, f)] = -2.0 * sq;
  }
}
