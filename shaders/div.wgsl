// Quotient of jets. z = a/b satisfies b·z = a, so matching order k gives
// z_k = (a_k - Σ_{j=1..k} b_j·z_{k-j}) / b_0 (the reciprocal, a = 1, is shaders/reciprocal.wgsl).
// Each order divides by b_0 rather than multiplying by 1/b_0, one rounding instead of two.
// b_0 = 0 gives inf/NaN on IEEE hardware (WGSL leaves the value indeterminate); callers check
// their divisors.

struct Params { rows: u32, order: u32, features: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> a: array<f32>;
@group(0) @binding(4) var<storage, read> b: array<f32>;

@compute @workgroup_size(64)
fn div_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  var bs: array<f32, MAX_COEFFS>;
  var zs: array<f32, MAX_COEFFS>;
  for (var k = 0u; k <= K; k++) { bs[k] = b[jet_index(row, k, f, K, F)]; }
  for (var k = 0u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += bs[j] * zs[k - j]; }
    zs[k] = (a[jet_index(row, k, f, K, F)] - s) / bs[0];
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, f, K, F)] = zs[k]; }
}

// ---- reverse mode ----
// z = a/b: perturbing a by α and b by β perturbs z by (α − z·β)/b. With L_b, L_z the
// lower-triangular Toeplitz matrices of "multiply by b" and "by z":
//   ā = L_b⁻ᵀ·z̄   (back-substitution: Σ_{k=j..K} b_{k-j}·ā_k = z̄_j, from j = K down),
//   b̄ = −L_zᵀ·ā   (the correlation b̄_j = −Σ_{k=j..K} ā_k·z_{k-j}, as in mul_vjp).
// The back-substitution divides by b_0 once per order, like the forward recurrence; z is
// recomputed as in the forward pass.

@group(0) @binding(5) var<storage, read> ybar: array<f32>;
@group(0) @binding(7) var<storage, read_write> abar: array<f32>;
@group(0) @binding(8) var<storage, read_write> bbar: array<f32>;

var<private> divisor: array<f32, MAX_COEFFS>;  // b
var<private> quotient: array<f32, MAX_COEFFS>; // z
var<private> cot: array<f32, MAX_COEFFS>;      // z̄, overwritten by ā = L_b⁻ᵀ·z̄

// ā = L_b⁻ᵀ·z̄ in place in cot; ā_k for k > j are final before z̄_j is read.
fn back_substitute(K: u32) {
  for (var i = 0u; i <= K; i++) {
    let j = K - i;
    var s = 0.0;
    for (var k = j + 1u; k <= K; k++) { s += divisor[k - j] * cot[k]; }
    cot[j] = (cot[j] - s) / divisor[0];
  }
}

// −L_zᵀ·ā, coefficient j.
fn minus_correlation(j: u32, K: u32) -> f32 {
  var s = 0.0;
  for (var k = j; k <= K; k++) { s += cot[k] * quotient[k - j]; }
  return -s;
}

@compute @workgroup_size(64)
fn div_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  if (t >= params.rows * F) { return; }
  let row = t / F;
  let f = t % F;
  for (var k = 0u; k <= K; k++) {
    divisor[k] = b[jet_index(row, k, f, K, F)];
    cot[k] = ybar[jet_index(row, k, f, K, F)];
  }
  for (var k = 0u; k <= K; k++) {
    var s = 0.0;
    for (var j = 1u; j <= k; j++) { s += divisor[j] * quotient[k - j]; }
    quotient[k] = (a[jet_index(row, k, f, K, F)] - s) / divisor[0];
  }
  back_substitute(K);
  for (var j = 0u; j <= K; j++) {
    abar[jet_index(row, j, f, K, F)] = cot[j];
    bbar[jet_index(row, j, f, K, F)] = minus_correlation(j, K);
  }
}
