// exp of a jet. y = exp(x) satisfies y' = y·x', so k·y_k = Σ_{j=1..k} j·x_j·y_{k-j}. y_0 scales
// every order, so it comes from accurate_exp (math.wgsl), not the builtin.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn exp_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var ys: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { xs[k] = x[jet_index(row, k, f, K, F)]; }
  ys[0] = accurate_exp(xs[0]);
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += f32(j) * xs[j] * ys[k - j]; }
    ys[k] = s / f32(k);
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = ys[k]; }
}

// ---- reverse mode ----
// Perturbing x by δ perturbs exp(x) by exp(x)·δ, a Cauchy product with y: the Jacobian of the
// truncated map is "multiply by y", so x̄_j = Σ_{k=j..K} ȳ_k·y_{k-j} (the correlation, as in
// mul_vjp). That is the backward walk of the recurrence above, summed in closed form: it needs
// only y (recomputed here as in the forward pass) and its error is y's plus one dot product.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

@compute @workgroup_size(64)
fn exp_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var xs: array<f32, MAX_COEFFS>;
  var ys: array<f32, MAX_COEFFS>;
  var yb: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) {
    xs[k] = x[jet_index(row, k, f, K, F)];
    yb[k] = ybar[jet_index(row, k, f, K, F)];
  }
  ys[0] = accurate_exp(xs[0]);
  for (var k = 1u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += f32(j) * xs[j] * ys[k - j]; }
    ys[k] = s / f32(k);
  }
  for (var j = 0u; j <= K; j++) {
    var s = 0.0;
    for (var k = j; k <= K; k++) { s += yb[k] * ys[k - j]; }
    xbar[jet_index(row, j, f, K, F)] = s;
  }
}
