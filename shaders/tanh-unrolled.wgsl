// tanh of a jet and its reverse mode at one fixed small order K, with every loop of tanh.wgsl
// unrolled: kernels/tanh.ts writes the straight-line recurrences for K where the markers
// stand (as written, the bodies compute nothing). Every coefficient is then a named vec4 value
// instead of an element of a private array: on SwiftShader a private array indexed by a loop
// variable costs a gather per access, and the K = 4 kernels ran 2–3× faster unrolled
// (bench/README.md). The recurrences, the start (y_0, z_0 from math.wgsl's exp and expm1) and
// the four-features-per-thread layout are tanh.wgsl's; it stays the kernel above the unrolled
// orders. Prepended: math.wgsl and tanh.wgsl (for tanh_start and the bindings).

fn load_x4(b: u32, fs: vec4u) -> vec4f {
  return vec4f(x[b + fs.x], x[b + fs.y], x[b + fs.z], x[b + fs.w]);
}

fn load_ybar4(b: u32, fs: vec4u) -> vec4f {
  return vec4f(ybar[b + fs.x], ybar[b + fs.y], ybar[b + fs.z], ybar[b + fs.w]);
}

fn store_y4(b: u32, f0: u32, F: u32, v: vec4f) {
  for (var c = 0u; c < 4u; c++) {
    if (f0 + c < F) { y[b + f0 + c] = v[c]; }
  }
}

fn store_xbar4(b: u32, f0: u32, F: u32, v: vec4f) {
  for (var c = 0u; c < 4u; c++) {
    if (f0 + c < F) { xbar[b + f0 + c] = v[c]; }
  }
}

@compute @workgroup_size(64)
fn tanh_forward_unrolled(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let groups = (F + 3u) / 4u;
  if (t >= params.rows * groups) { return; }
  let row = t / groups;
  let f0 = (t % groups) * 4u;
  let fs = vec4u(f0, min(f0 + 1u, F - 1u), min(f0 + 2u, F - 1u), min(f0 + 3u, F - 1u));
  // UNROLLED FORWARD
}

@compute @workgroup_size(64)
fn tanh_vjp_unrolled(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let groups = (F + 3u) / 4u;
  if (t >= params.rows * groups) { return; }
  let row = t / groups;
  let f0 = (t % groups) * 4u;
  let fs = vec4u(f0, min(f0 + 1u, F - 1u), min(f0 + 2u, F - 1u), min(f0 + 3u, F - 1u));
  // UNROLLED VJP
}
