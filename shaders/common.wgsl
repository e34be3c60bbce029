// Prepended to every shader (see src/gpu/kernel.ts).
// Jet layout, everywhere: element (row b, order k, feature f) of a jet tensor with F features
// and order K lives at (b * (K + 1) + k) * F + f. A "row" is one (point, direction) pair.

const MAX_ORDER: u32 = 60u;
const MAX_COEFFS: u32 = 61u;

// Dispatches larger than 65535 workgroups spread over y; this recovers the flat thread index.
fn flat_index(gid: vec3u, nwg: vec3u, workgroup_size: u32) -> u32 {
  return gid.x + gid.y * nwg.x * workgroup_size;
}

fn jet_index(row: u32, k: u32, feature: u32, order: u32, features: u32) -> u32 {
  return (row * (order + 1u) + k) * features + feature;
}
