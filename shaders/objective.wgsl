// The training objective on the GPU, from the per-row loss jet [rows, K+1, 1] (c_0 the row's
// cross-entropy, c_n its n-th normalized directional coefficient), so that a step never waits
// for a read-back:
//   objective = Σ_r w_r·c_{r,0} + Σ_{r < penalized} Σ_n p_n·|c_{r,n}|,
// with w_r = loss_weight_penalized for the first `penalized` rows and loss_weight_rest after, and
// p_n the per-order weights of a penalty (CRR: scale·n!/(rows penalized)·(1/|orders| for the
// mean); all zero for plain training). `objective_seed` writes the cotangent of every
// coefficient, d(objective)/dc_{r,n} = w_r at n = 0 and p_n·sign(c_{r,n}) above (0 where
// c = 0, PyTorch's subgradient of |·|), and each row's two terms; `objective_sum` adds up the
// rows' terms (loss, penalty) for the step's log, which the host reads back without waiting.

struct Params {
  rows: u32,
  order: u32,
  penalized: u32,
  loss_weight_penalized: f32,
  loss_weight_rest: f32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> loss: array<f32>;
@group(0) @binding(2) var<storage, read> order_weights: array<f32>;
@group(0) @binding(3) var<storage, read_write> seed: array<f32>;
@group(0) @binding(4) var<storage, read_write> terms: array<vec2f>;
@group(0) @binding(5) var<storage, read_write> log: array<vec2f>;

@compute @workgroup_size(64)
fn objective_seed(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let r = flat_index(gid, nwg, 64u);
  if (r >= params.rows) { return; }
  let K = params.order;
  let base = r * (K + 1u);
  let penalized = r < params.penalized;
  let w = select(params.loss_weight_rest, params.loss_weight_penalized, penalized);
  seed[base] = w;
  var penalty = 0.0;
  for (var n = 1u; n <= K; n++) {
    let c = loss[base + n];
    let p = select(0.0, order_weights[n], penalized);
    seed[base + n] = p * sign(c);
    penalty += p * abs(c);
  }
  terms[r] = vec2f(w * loss[base], penalty);
}

// One thread: the rows' terms in order, so the sum is the same on every adapter.
@compute @workgroup_size(1)
fn objective_sum() {
  var s = vec2f(0.0);
  for (var r = 0u; r < params.rows; r++) { s += terms[r]; }
  log[0] = s;
}
