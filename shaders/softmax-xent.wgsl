// Log-softmax and softmax cross-entropy over the features (classes) of each jet row, one thread
// per row. Both rest on logsumexp(z) = z_top + log S, S = Σ_i exp(z_i − z_top), where top is the
// class with the largest z_i,0 and z_i − z_top is a difference of whole series. The top term of S is
// then exactly 1 + 0·t + …, every other has e_0 ≤ 1 (nothing overflows), and log S is computed from
// S − 1, so a dominant class leaves log S small and accurate instead of the difference of two big
// series (shifting by the constant max z_i,0 alone loses all digits of the loss's c_2.. once a
// wrong class dominates with a large slope). exp and log use the recurrences
// k·e_k = Σ_{j=1..k} j·d_j·e_{k−j} and k·S_0·l_k = k·S_k − Σ_{j=1..k−1} j·l_j·S_{k−j}.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<u32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;

var<private> d: array<f32, MAX_COEFFS>; // one shifted logit series
var<private> e: array<f32, MAX_COEFFS>; // its exponential
var<private> s: array<f32, MAX_COEFFS>; // S
var<private> l: array<f32, MAX_COEFFS>; // log S

// log(1 + T), T ≥ 0, to a few ulp. The builtin log is only good to an absolute 2^-21 on [0.5, 2]
// (WGSL spec), too coarse for a small loss; below that, log(1 + T) = 2·atanh(q) with q = T/(2 + T) ≤ 1/3.
fn log1p_nonneg(T: f32) -> f32 {
  if (T > 1.0) { return log(1.0 + T); }
  let q = T / (2.0 + T);
  let q2 = q * q;
  var p = 1.0 / 23.0; // Horner on Σ_n q2^n / (2n + 1); q2^12/25 < 2^-40
  for (var n = 10i; n >= 0; n--) { p = p * q2 + 1.0 / f32(2 * n + 1); }
  return 2.0 * q * p;
}

fn at(row: u32, k: u32, i: u32) -> u32 {
  return jet_index(row, k, i, params.order, params.features);
}

// Fills l with the series of log S for `row`; returns top.
fn log_sum_exp(row: u32) -> u32 {
  let K = params.order;
  let F = params.features;
  var top = 0u;
  for (var i = 1u; i < F; i++) {
    if (x[at(row, 0u, i)] > x[at(row, 0u, top)]) { top = i; }
  }
  for (var k = 0u; k <= K; k++) { s[k] = 0.0; }
  var rest = 0.0; // S_0 − 1
  for (var i = 0u; i < F; i++) {
    if (i == top) { continue; }
    for (var k = 0u; k <= K; k++) { d[k] = x[at(row, k, i)] - x[at(row, k, top)]; }
    e[0] = exp(d[0]);
    for (var k = 1u; k <= K; k++) {
      var a = 0.0;
      for (var j = 1u; j <= k; j++) { a += f32(j) * d[j] * e[k - j]; }
      e[k] = a / f32(k);
      s[k] += e[k];
    }
    rest += e[0];
  }
  s[0] = 1.0 + rest;
  l[0] = log1p_nonneg(rest);
  for (var k = 1u; k <= K; k++) {
    var a = f32(k) * s[k];
    for (var j = 1u; j < k; j++) { a -= f32(j) * l[j] * s[k - j]; }
    l[k] = a / (f32(k) * s[0]);
  }
  return top;
}

// y_i = (z_i − z_top) − log S.
@compute @workgroup_size(64)
fn log_softmax_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = flat_index(gid, nwg, 64u);
  if (row >= params.rows) { return; }
  let top = log_sum_exp(row);
  for (var i = 0u; i < params.features; i++) {
    for (var k = 0u; k <= params.order; k++) {
      y[at(row, k, i)] = (x[at(row, k, i)] - x[at(row, k, top)]) - l[k];
    }
  }
}

// loss = (z_top − z_label) + log S: exactly log S when the label is the top class.
@compute @workgroup_size(64)
fn softmax_xent_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = flat_index(gid, nwg, 64u);
  if (row >= params.rows) { return; }
  let top = log_sum_exp(row);
  let label = labels[row];
  for (var k = 0u; k <= params.order; k++) {
    y[row * (params.order + 1u) + k] = (x[at(row, k, top)] - x[at(row, k, label)]) + l[k];
  }
}

// ---- reverse mode ----
// The forward is recomputed (log_sum_exp fills s and l) and its recurrences are walked
// backwards, differentiating exactly what it computes: the differences d_i = z_i − z_top (so
// z_top collects −Σ_i d̄_i), the exp recurrence per class, S_0 = 1 + rest, l_0 = log1p(rest) and
// the log recurrence. The top class itself contributes the constant 1 to S: no cotangent. Which
// class is top is a discrete choice: none either (the function is the same for any choice).
// A thread owns its row of x̄: it writes the direct terms, then adds each class's share.

@group(0) @binding(4) var<storage, read> ybar: array<f32>;
@group(0) @binding(5) var<storage, read_write> xbar: array<f32>;

var<private> sb: array<f32, MAX_COEFFS>; // S̄
var<private> lb: array<f32, MAX_COEFFS>; // l̄ (set by the caller)
var<private> db: array<f32, MAX_COEFFS>; // d̄ of one class
var<private> eb: array<f32, MAX_COEFFS>; // ē of one class
var<private> tb: array<f32, MAX_COEFFS>; // Σ_i d̄_i, for z_top

// Adds the logits' cotangents through log S (l̄ in lb, the forward's s and l present) into xbar.
fn log_sum_exp_vjp(row: u32, top: u32) {
  let K = params.order;
  let F = params.features;
  for (var k = 0u; k <= K; k++) { sb[k] = 0.0; tb[k] = 0.0; }
  // l_k = a/(k·S_0), a = k·S_k − Σ_{j=1..k−1} j·l_j·S_{k−j}: ∂/∂S_k = 1/S_0, ∂/∂S_0 = −l_k/S_0,
  // ∂/∂l_j = −j·S_{k−j}/(k·S_0), ∂/∂S_{k−j} = −j·l_j/(k·S_0). l̄_j (j < k) is complete at its turn.
  for (var k = K; k >= 1u; k--) {
    let h = lb[k] / (f32(k) * s[0]);
    sb[k] += f32(k) * h;
    sb[0] -= lb[k] * l[k] / s[0];
    for (var j = 1u; j < k; j++) {
      lb[j] -= h * f32(j) * s[k - j];
      sb[k - j] -= h * f32(j) * l[j];
    }
  }
  // S_0 = 1 + rest and l_0 = log1p(rest): rest̄ = S̄_0 + l̄_0/S_0.
  let rest_bar = sb[0] + lb[0] / s[0];
  for (var i = 0u; i < F; i++) {
    if (i == top) { continue; }
    for (var k = 0u; k <= K; k++) { d[k] = x[at(row, k, i)] - x[at(row, k, top)]; }
    e[0] = exp(d[0]);
    for (var k = 1u; k <= K; k++) {
      var a = 0.0;
      for (var j = 1u; j <= k; j++) { a += f32(j) * d[j] * e[k - j]; }
      e[k] = a / f32(k);
    }
    // e_k = (1/k)·Σ_{j=1..k} j·d_j·e_{k−j}, walked from k = K down; ē_k = S̄_k (k ≥ 1), ē_0 = rest̄.
    for (var k = 0u; k <= K; k++) { db[k] = 0.0; eb[k] = sb[k]; }
    eb[0] = rest_bar;
    for (var k = K; k >= 1u; k--) {
      let g = eb[k] / f32(k);
      for (var j = 1u; j <= k; j++) {
        db[j] += g * f32(j) * e[k - j];
        eb[k - j] += g * f32(j) * d[j];
      }
    }
    db[0] += eb[0] * e[0];
    for (var k = 0u; k <= K; k++) {
      xbar[at(row, k, i)] += db[k];
      tb[k] += db[k];
    }
  }
  for (var k = 0u; k <= K; k++) { xbar[at(row, k, top)] -= tb[k]; }
}

// y_i = (z_i − z_top) − l: z̄_i = ȳ_i, z̄_top = −Σ_{i≠top} ȳ_i (y_top's own difference is 0), l̄ = −Σ_i ȳ_i.
@compute @workgroup_size(64)
fn log_softmax_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = flat_index(gid, nwg, 64u);
  if (row >= params.rows) { return; }
  let top = log_sum_exp(row);
  for (var k = 0u; k <= params.order; k++) {
    var sum = 0.0;
    for (var i = 0u; i < params.features; i++) {
      let g = ybar[at(row, k, i)];
      xbar[at(row, k, i)] = select(g, 0.0, i == top);
      if (i != top) { sum += g; }
    }
    xbar[at(row, k, top)] = -sum;
    lb[k] = -(sum + ybar[at(row, k, top)]);
  }
  log_sum_exp_vjp(row, top);
}

// loss = (z_top − z_label) + l: z̄_top += ȳ, z̄_label −= ȳ (cancelling when label = top), l̄ = ȳ.
@compute @workgroup_size(64)
fn softmax_xent_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let row = flat_index(gid, nwg, 64u);
  if (row >= params.rows) { return; }
  let top = log_sum_exp(row);
  let label = labels[row];
  for (var k = 0u; k <= params.order; k++) {
    let g = ybar[row * (params.order + 1u) + k];
    for (var i = 0u; i < params.features; i++) { xbar[at(row, k, i)] = 0.0; }
    if (label != top) {
      xbar[at(row, k, top)] = g;
      xbar[at(row, k, label)] = -g;
    }
    lb[k] = g;
  }
  log_sum_exp_vjp(row, top);
}
