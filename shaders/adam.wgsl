// One Adam step over a flat f32 parameter buffer, one thread per parameter, in PyTorch's order
// of operations (torch.optim.Adam / AdamW, single-tensor path, no amsgrad):
//   decoupled = 0 (Adam's weight_decay, an L2 term): g ← g + wd·θ
//   decoupled = 1 (AdamW):                           θ ← θ·(1 − lr·wd)
//   m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
//   θ ← θ − step_size · m / (√v · inv_sqrt_bc2 + eps)
// The bias corrections depend on the step count only, so the host computes them in f64 and
// passes step_size = lr/(1 − β1ᵗ) and inv_sqrt_bc2 = 1/√(1 − β2ᵗ) as f32 uniforms. 1 − β1 and
// 1 − β2 come from the host too: in f32, 1 − f32(0.999) is off by 1.3e-5 relative, while
// f32(1 − 0.999) is correctly rounded (PyTorch, too, forms 1 − β in double).

struct Params {
  count: u32,
  decoupled: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  one_minus_beta1: f32,
  one_minus_beta2: f32,
  eps: f32,
  weight_decay: f32,
  step_size: f32,
  inv_sqrt_bc2: f32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> theta: array<f32>;
@group(0) @binding(2) var<storage, read> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(64)
fn adam_step(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat_index(gid, nwg, 64u);
  // Pooled buffers are rounded up in size: the tail past `count` is not ours.
  if (i >= params.count) { return; }
  var p = theta[i];
  var g = grad[i];
  if (params.decoupled == 0u) {
    g += params.weight_decay * p;
  } else {
    // θ − (lr·wd)·θ rather than θ·(1 − lr·wd): 1 − lr·wd would be rounded to f32 first.
    p -= params.lr * params.weight_decay * p;
  }
  let mi = params.beta1 * m[i] + params.one_minus_beta1 * g;
  let vi = params.beta2 * v[i] + params.one_minus_beta2 * g * g;
  m[i] = mi;
  v[i] = vi;
  theta[i] = p - params.step_size * mi / (sqrt(vi) * params.inv_sqrt_bc2 + params.eps);
}
