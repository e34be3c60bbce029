// SAM's ascent step (Foret et al. 2021) over a network's parameter buffers, on the GPU so that a
// step needs no read-back of the gradient (the global norm couples every buffer):
//   sam_sumsq   per buffer: partial[offset + t] = Σ_{i ≡ t mod T} (s_i·g_i)², T = ⌈count/chunk⌉
//   sam_norm    once:       norm[0] = √(Σ partial)
//   sam_perturb per buffer: θ_i += ρ · s_i² · g_i / (norm[0] + 1e-12)
// s_i = 1 for SAM; s_i = |θ_i| for adaptive SAM (ASAM, Kwon et al. 2021) in the form of the
// common PyTorch implementation (davda54/sam): ‖T g‖ with T = diag|θ|, e = ρ·T²g/‖T g‖.
// The restore θ ← θ − e is a buffer copy on the host side (exact), not a subtraction.

struct Params { count: u32, offset: u32, chunk: u32, adaptive: u32, partials: u32, rho: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> partial: array<f32>;
@group(0) @binding(4) var<storage, read_write> norm: array<f32>;

fn scaled(i: u32) -> f32 {
  return select(grad[i], abs(theta[i]) * grad[i], params.adaptive == 1u);
}

@compute @workgroup_size(64)
fn sam_sumsq(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // Thread t of T = ⌈count/chunk⌉ takes i = t, t + T, t + 2T, …: neighbouring threads read
  // neighbouring values (SwiftShader runs threads as SIMD lanes).
  let t = flat_index(gid, nwg, 64u);
  let T = (params.count + params.chunk - 1u) / params.chunk;
  if (t >= T) { return; }
  var a = 0.0;
  for (var i = t; i < params.count; i += T) { let v = scaled(i); a += v * v; }
  partial[params.offset + t] = a;
}

// One thread: a few thousand partials at most (one per `chunk` parameters).
@compute @workgroup_size(1)
fn sam_norm(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x > 0u) { return; }
  var a = 0.0;
  for (var i = 0u; i < params.partials; i++) { a += partial[i]; }
  norm[0] = sqrt(a);
}

@compute @workgroup_size(64)
fn sam_perturb(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  // Each thread takes `chunk` values strided by the thread count: SwiftShader pays per
  // workgroup, and one value per thread made this pass slower than the gradient itself.
  let t = flat_index(gid, nwg, 64u);
  let T = (params.count + params.chunk - 1u) / params.chunk;
  if (t >= T) { return; }
  let step = params.rho / (norm[0] + 1e-12);
  for (var i = t; i < params.count; i += T) {
    let s = select(1.0, theta[i] * theta[i], params.adaptive == 1u);
    theta[i] += step * s * grad[i];
  }
}
