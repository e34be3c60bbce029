// tanh of a jet and its reverse mode at one fixed small order K, with every loop of tanh.wgsl
// unrolled: kernels/tanh-unrolled.ts writes the straight-line recurrences for K where the markers
// stand (as written, the bodies compute nothing). Every coefficient is then a named vec4 value
// instead of an element of a private array: on SwiftShader a private array indexed by a loop
// variable costs a gather per access, and the K = 4 kernels ran 2–3× faster unrolled
// (bench/README.md). The recurrences, the start (y_0, z_0 from math.wgsl's exp and expm1) and
// the four-features-per-thread layout are tanh.wgsl's; it stays the kernel above the unrolled
// orders. Prepended: math.wgsl and tanh.wgsl (for tanh_start, the bindings and the four-lane
// loads and stores).

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
