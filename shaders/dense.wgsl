// Dense layer on jets: y[m, o] (+)= Σ_i x[m - shift, i]·W[o, i] + (k == shift ? bias[o] : 0),
// over all M = rows·(K+1) jet rows at once (m = row·(K+1) + k), i.e. ONE matrix product for all
// orders when the weights are constant (shift 0). Weights that are jets themselves,
// W(t) = Σ_j W_j t^j, give y_k = Σ_j W_j·x_{k-j} + b_k: one dispatch per weight order j with
// shift = j and accumulate = 1 after the first (kernels/dense.ts).
// Each thread computes a 4×4 block in registers with no workgroup memory: on SwiftShader
// barriers cost more than they save (ARCHITECTURE.md, "Where it runs"), and on GPUs the block still reuses every load 4×.

struct Params {
  rows: u32, order: u32, inputs: u32, outputs: u32,
  shift: u32, accumulate: u32, w_offset: u32, b_offset: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn dense_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let M = params.rows * coeffs;
  let N = params.outputs;
  let I = params.inputs;
  let n_blocks = (N + 3u) / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= ((M + 3u) / 4u) * n_blocks) { return; }
  let m0 = (t / n_blocks) * 4u;
  let n0 = (t % n_blocks) * 4u;

  // Source rows of the 4 output rows; a row whose order k is below the shift reads nothing.
  var src: array<u32, 4>;
  var live: array<f32, 4>;
  for (var r = 0u; r < 4u; r++) {
    let m = m0 + r;
    let ok = m < M && (m % coeffs) >= params.shift;
    src[r] = select(0u, (m - params.shift) * I, ok);
    live[r] = select(0.0, 1.0, ok);
  }
  // Columns past N repeat the last one; their results are not written.
  let c0 = params.w_offset + min(n0, N - 1u) * I;
  let c1 = params.w_offset + min(n0 + 1u, N - 1u) * I;
  let c2 = params.w_offset + min(n0 + 2u, N - 1u) * I;
  let c3 = params.w_offset + min(n0 + 3u, N - 1u) * I;

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var i = 0u; i < I; i++) {
    let wv = vec4f(w[c0 + i], w[c1 + i], w[c2 + i], w[c3 + i]);
    acc0 += x[src[0] + i] * wv;
    acc1 += x[src[1] + i] * wv;
    acc2 += x[src[2] + i] * wv;
    acc3 += x[src[3] + i] * wv;
  }
  var acc = array<vec4f, 4>(acc0 * live[0], acc1 * live[1], acc2 * live[2], acc3 * live[3]);

  for (var r = 0u; r < 4u; r++) {
    let m = m0 + r;
    if (m >= M) { break; }
    let with_bias = (m % coeffs) == params.shift;
    for (var c = 0u; c < 4u; c++) {
      let n = n0 + c;
      if (n >= N) { break; }
      var v = acc[r][c];
      if (with_bias) { v += bias[params.b_offset + n]; }
      let out = m * N + n;
      if (params.accumulate != 0u) { v += y[out]; }
      y[out] = v;
    }
  }
}

// The same product when inputs is a multiple of 4 (kernels/dense.ts picks it): x and W rows are
// read as vec4 along i, and each thread computes 8 rows × 4 columns, so each step of 4 inputs
// takes 8 + 4 vec4 loads for 128 multiply-adds (the scalar 4×4 kernel above: 4 + 4 scalar loads
// for 16). Measured on SwiftShader: ~1.5× the scalar kernel, 80–90% of the best plain matmul of
// bench/matmul.wgsl (8×4, vec4), whose inner loop this is.
@group(0) @binding(9) var<storage, read> x4: array<vec4f>;
@group(0) @binding(10) var<storage, read> w4: array<vec4f>;

// acc += x (4 consecutive inputs of one row) · the 4×4 block of Wᵀ whose rows are t0..t3.
fn fma4(acc: vec4f, xv: vec4f, t0: vec4f, t1: vec4f, t2: vec4f, t3: vec4f) -> vec4f {
  return acc + xv.x * t0 + xv.y * t1 + xv.z * t2 + xv.w * t3;
}

// Source row (in vec4 units) of output row m, and whether it is live: rows past M or below
// the shift read row 0 and are zeroed.
fn vec4_source(m: u32, M: u32, coeffs: u32, I4: u32) -> vec2u {
  let ok = m < M && (m % coeffs) >= params.shift;
  return vec2u(select(0u, (m - params.shift) * I4, ok), select(0u, 1u, ok));
}

// Adds bias (at order `shift`) and, when accumulating, what y holds; writes the columns < N.
fn store_row(m: u32, n0: u32, M: u32, N: u32, coeffs: u32, v: vec4f, live: u32) {
  if (m >= M) { return; }
  let with_bias = (m % coeffs) == params.shift;
  let vv = select(vec4f(0.0), v, live == 1u);
  for (var c = 0u; c < 4u; c++) {
    let n = n0 + c;
    if (n >= N) { break; }
    var o = vv[c];
    if (with_bias) { o += bias[params.b_offset + n]; }
    let out = m * N + n;
    if (params.accumulate != 0u) { o += y[out]; }
    y[out] = o;
  }
}

// Everything in named values, no private arrays: on SwiftShader those cost (conv2d.wgsl); here
// dropping them took the kernel from ~75% to ~85% of the matmul.
@compute @workgroup_size(64)
fn dense_forward_vec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let M = params.rows * coeffs;
  let N = params.outputs;
  let I4 = params.inputs / 4u;
  let n_blocks = (N + 3u) / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= ((M + 7u) / 8u) * n_blocks) { return; }
  let m0 = (t / n_blocks) * 8u;
  let n0 = (t % n_blocks) * 4u;
  let r0 = vec4_source(m0, M, coeffs, I4); let r1 = vec4_source(m0 + 1u, M, coeffs, I4);
  let r2 = vec4_source(m0 + 2u, M, coeffs, I4); let r3 = vec4_source(m0 + 3u, M, coeffs, I4);
  let r4 = vec4_source(m0 + 4u, M, coeffs, I4); let r5 = vec4_source(m0 + 5u, M, coeffs, I4);
  let r6 = vec4_source(m0 + 6u, M, coeffs, I4); let r7 = vec4_source(m0 + 7u, M, coeffs, I4);
  let wo = params.w_offset / 4u;
  let c0 = wo + min(n0, N - 1u) * I4;
  let c1 = wo + min(n0 + 1u, N - 1u) * I4;
  let c2 = wo + min(n0 + 2u, N - 1u) * I4;
  let c3 = wo + min(n0 + 3u, N - 1u) * I4;

  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  for (var i = 0u; i < I4; i++) {
    // W rows n0..n0+3 at inputs 4i..4i+3, transposed in registers: t_j holds input 4i+j.
    let wa = w4[c0 + i]; let wb = w4[c1 + i]; let wc = w4[c2 + i]; let wd = w4[c3 + i];
    let t0 = vec4f(wa.x, wb.x, wc.x, wd.x);
    let t1 = vec4f(wa.y, wb.y, wc.y, wd.y);
    let t2 = vec4f(wa.z, wb.z, wc.z, wd.z);
    let t3 = vec4f(wa.w, wb.w, wc.w, wd.w);
    a0 = fma4(a0, x4[r0.x + i], t0, t1, t2, t3);
    a1 = fma4(a1, x4[r1.x + i], t0, t1, t2, t3);
    a2 = fma4(a2, x4[r2.x + i], t0, t1, t2, t3);
    a3 = fma4(a3, x4[r3.x + i], t0, t1, t2, t3);
    a4 = fma4(a4, x4[r4.x + i], t0, t1, t2, t3);
    a5 = fma4(a5, x4[r5.x + i], t0, t1, t2, t3);
    a6 = fma4(a6, x4[r6.x + i], t0, t1, t2, t3);
    a7 = fma4(a7, x4[r7.x + i], t0, t1, t2, t3);
  }
  store_row(m0, n0, M, N, coeffs, a0, r0.y); store_row(m0 + 1u, n0, M, N, coeffs, a1, r1.y);
  store_row(m0 + 2u, n0, M, N, coeffs, a2, r2.y); store_row(m0 + 3u, n0, M, N, coeffs, a3, r3.y);
  store_row(m0 + 4u, n0, M, N, coeffs, a4, r4.y); store_row(m0 + 5u, n0, M, N, coeffs, a5, r5.y);
  store_row(m0 + 6u, n0, M, N, coeffs, a6, r6.y); store_row(m0 + 7u, n0, M, N, coeffs, a7, r7.y);
}

// The same product in 8 rows × 8 outputs per thread, when outputs % 8 == 0 (kernels/dense.ts):
// each step of 4 inputs takes 8 + 8 vec4 loads for 256 multiply-adds (8×4: 8 + 4 for 128), so
// fewer loads per product. Measured on SwiftShader, interleaved against dense_forward_vec4:
// 1.2–1.3× faster at 64→64 over 5120 and 16384 jet rows (the MLP's jet and nested-dual
// passes at K = 4) and at 400→128 over 320 and 1024 (the small CNN's). Sixteen accumulators
// spill on a 16-register CPU, and it still wins; a GPU holds them in registers.
@compute @workgroup_size(64)
fn dense_forward_vec4_8x8(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let M = params.rows * coeffs;
  let N = params.outputs;
  let I4 = params.inputs / 4u;
  let n_blocks = (N + 7u) / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= ((M + 7u) / 8u) * n_blocks) { return; }
  let m0 = (t / n_blocks) * 8u;
  let n0 = (t % n_blocks) * 8u;
  let r0 = vec4_source(m0, M, coeffs, I4); let r1 = vec4_source(m0 + 1u, M, coeffs, I4);
  let r2 = vec4_source(m0 + 2u, M, coeffs, I4); let r3 = vec4_source(m0 + 3u, M, coeffs, I4);
  let r4 = vec4_source(m0 + 4u, M, coeffs, I4); let r5 = vec4_source(m0 + 5u, M, coeffs, I4);
  let r6 = vec4_source(m0 + 6u, M, coeffs, I4); let r7 = vec4_source(m0 + 7u, M, coeffs, I4);
  // Columns past N (only when the caller breaks the % 8 rule) repeat the last; not written.
  let wo = params.w_offset / 4u;
  let c0 = wo + min(n0, N - 1u) * I4; let c1 = wo + min(n0 + 1u, N - 1u) * I4;
  let c2 = wo + min(n0 + 2u, N - 1u) * I4; let c3 = wo + min(n0 + 3u, N - 1u) * I4;
  let c4 = wo + min(n0 + 4u, N - 1u) * I4; let c5 = wo + min(n0 + 5u, N - 1u) * I4;
  let c6 = wo + min(n0 + 6u, N - 1u) * I4; let c7 = wo + min(n0 + 7u, N - 1u) * I4;
  // a_r: row m0 + r at outputs n0..n0+3; b_r: at n0+4..n0+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  for (var i = 0u; i < I4; i++) {
    // W rows n0..n0+7 at inputs 4i..4i+3, transposed in registers as in dense_forward_vec4.
    let wa = w4[c0 + i]; let wb = w4[c1 + i]; let wc = w4[c2 + i]; let wd = w4[c3 + i];
    let we = w4[c4 + i]; let wf = w4[c5 + i]; let wg = w4[c6 + i]; let wh = w4[c7 + i];
    let t0 = vec4f(wa.x, wb.x, wc.x, wd.x); let t1 = vec4f(wa.y, wb.y, wc.y, wd.y);
    let t2 = vec4f(wa.z, wb.z, wc.z, wd.z); let t3 = vec4f(wa.w, wb.w, wc.w, wd.w);
    let u0 = vec4f(we.x, wf.x, wg.x, wh.x); let u1 = vec4f(we.y, wf.y, wg.y, wh.y);
    let u2 = vec4f(we.z, wf.z, wg.z, wh.z); let u3 = vec4f(we.w, wf.w, wg.w, wh.w);
    let x0 = x4[r0.x + i]; a0 = fma4(a0, x0, t0, t1, t2, t3); b0 = fma4(b0, x0, u0, u1, u2, u3);
    let x1 = x4[r1.x + i]; a1 = fma4(a1, x1, t0, t1, t2, t3); b1 = fma4(b1, x1, u0, u1, u2, u3);
    let x2 = x4[r2.x + i]; a2 = fma4(a2, x2, t0, t1, t2, t3); b2 = fma4(b2, x2, u0, u1, u2, u3);
    let x3 = x4[r3.x + i]; a3 = fma4(a3, x3, t0, t1, t2, t3); b3 = fma4(b3, x3, u0, u1, u2, u3);
    let x4_ = x4[r4.x + i]; a4 = fma4(a4, x4_, t0, t1, t2, t3); b4 = fma4(b4, x4_, u0, u1, u2, u3);
    let x5 = x4[r5.x + i]; a5 = fma4(a5, x5, t0, t1, t2, t3); b5 = fma4(b5, x5, u0, u1, u2, u3);
    let x6 = x4[r6.x + i]; a6 = fma4(a6, x6, t0, t1, t2, t3); b6 = fma4(b6, x6, u0, u1, u2, u3);
    let x7 = x4[r7.x + i]; a7 = fma4(a7, x7, t0, t1, t2, t3); b7 = fma4(b7, x7, u0, u1, u2, u3);
  }
  store_row(m0, n0, M, N, coeffs, a0, r0.y); store_row(m0 + 1u, n0, M, N, coeffs, a1, r1.y);
  store_row(m0 + 2u, n0, M, N, coeffs, a2, r2.y); store_row(m0 + 3u, n0, M, N, coeffs, a3, r3.y);
  store_row(m0 + 4u, n0, M, N, coeffs, a4, r4.y); store_row(m0 + 5u, n0, M, N, coeffs, a5, r5.y);
  store_row(m0 + 6u, n0, M, N, coeffs, a6, r6.y); store_row(m0 + 7u, n0, M, N, coeffs, a7, r7.y);
  let n1 = n0 + 4u;
  store_row(m0, n1, M, N, coeffs, b0, r0.y); store_row(m0 + 1u, n1, M, N, coeffs, b1, r1.y);
  store_row(m0 + 2u, n1, M, N, coeffs, b2, r2.y); store_row(m0 + 3u, n1, M, N, coeffs, b3, r3.y);
  store_row(m0 + 4u, n1, M, N, coeffs, b4, r4.y); store_row(m0 + 5u, n1, M, N, coeffs, b5, r5.y);
  store_row(m0 + 6u, n1, M, N, coeffs, b6, r6.y); store_row(m0 + 7u, n1, M, N, coeffs, b7, r7.y);
}

// ---- reverse mode ----
// With y[m] += W_j·x[m − j] (rows whose order k ≥ j), the cotangents are
//   x̄[m] += W_jᵀ·ȳ[m + j]          (rows whose order k + j ≤ K),
//   W̄_j  += Σ_m ȳ[m]ᵀ·x[m − j],      b̄_j += Σ_rows ȳ[row, k = j].
// Each is one dispatch per weight order j; `accumulate` adds to what the buffer holds, so
// gradients sum over weight orders, over several uses of a layer, and over batches.

@group(0) @binding(5) var<storage, read> ybar: array<f32>;
@group(0) @binding(6) var<storage, read_write> xbar: array<f32>;
@group(0) @binding(7) var<storage, read_write> wbar: array<f32>;
@group(0) @binding(8) var<storage, read_write> bbar: array<f32>;

// x̄ = ȳ·W over all M rows at once: 4 rows × 4 input columns per thread.
@compute @workgroup_size(64)
fn dense_vjp_input(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let M = params.rows * coeffs;
  let N = params.outputs;
  let I = params.inputs;
  let i_blocks = (I + 3u) / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= ((M + 3u) / 4u) * i_blocks) { return; }
  let m0 = (t / i_blocks) * 4u;
  let i0 = (t % i_blocks) * 4u;
  var src: array<u32, 4>;
  var live: array<f32, 4>;
  for (var r = 0u; r < 4u; r++) {
    let m = m0 + r;
    let ok = m < M && (m % coeffs) + params.shift < coeffs;
    src[r] = select(0u, (m + params.shift) * N, ok);
    live[r] = select(0.0, 1.0, ok);
  }
  let cols = vec4u(min(i0, I - 1u), min(i0 + 1u, I - 1u), min(i0 + 2u, I - 1u), min(i0 + 3u, I - 1u));
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var o = 0u; o < N; o++) {
    let row = params.w_offset + o * I;
    let wv = vec4f(w[row + cols.x], w[row + cols.y], w[row + cols.z], w[row + cols.w]);
    acc0 += ybar[src[0] + o] * wv;
    acc1 += ybar[src[1] + o] * wv;
    acc2 += ybar[src[2] + o] * wv;
    acc3 += ybar[src[3] + o] * wv;
  }
  var acc = array<vec4f, 4>(acc0 * live[0], acc1 * live[1], acc2 * live[2], acc3 * live[3]);
  for (var r = 0u; r < 4u; r++) {
    let m = m0 + r;
    if (m >= M) { break; }
    for (var c = 0u; c < 4u; c++) {
      let i = i0 + c;
      if (i >= I) { break; }
      let out = m * I + i;
      var v = acc[r][c];
      if (params.accumulate != 0u) { v += xbar[out]; }
      xbar[out] = v;
    }
  }
}

// W̄_j = Σ_m ȳ[m]ᵀ·x[m − j]: a 4×4 block of (output, input) per thread, summed over all rows and orders.
@compute @workgroup_size(64)
fn dense_vjp_weight(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let N = params.outputs;
  let I = params.inputs;
  let i_blocks = (I + 3u) / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= ((N + 3u) / 4u) * i_blocks) { return; }
  let o0 = (t / i_blocks) * 4u;
  let i0 = (t % i_blocks) * 4u;
  let outs = vec4u(min(o0, N - 1u), min(o0 + 1u, N - 1u), min(o0 + 2u, N - 1u), min(o0 + 3u, N - 1u));
  let ins = vec4u(min(i0, I - 1u), min(i0 + 1u, I - 1u), min(i0 + 2u, I - 1u), min(i0 + 3u, I - 1u));
  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var row = 0u; row < params.rows; row++) {
    for (var k = params.shift; k < coeffs; k++) {
      let yb = (row * coeffs + k) * N;
      let xb = (row * coeffs + k - params.shift) * I;
      let xv = vec4f(x[xb + ins.x], x[xb + ins.y], x[xb + ins.z], x[xb + ins.w]);
      acc0 += ybar[yb + outs.x] * xv;
      acc1 += ybar[yb + outs.y] * xv;
      acc2 += ybar[yb + outs.z] * xv;
      acc3 += ybar[yb + outs.w] * xv;
    }
  }
  var acc = array<vec4f, 4>(acc0, acc1, acc2, acc3);
  for (var r = 0u; r < 4u; r++) {
    let o = o0 + r;
    if (o >= N) { break; }
    for (var c = 0u; c < 4u; c++) {
      let i = i0 + c;
      if (i >= I) { break; }
      let out = params.w_offset + o * I + i;
      var v = acc[r][c];
      if (params.accumulate != 0u) { v += wbar[out]; }
      wbar[out] = v;
    }
  }
}

// b̄_j[o] = Σ_rows ȳ[row, k = j, o].
@compute @workgroup_size(64)
fn dense_vjp_bias(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let o = flat_index(gid, nwg, 64u);
  let N = params.outputs;
  if (o >= N) { return; }
  let coeffs = params.order + 1u;
  var s = 0.0;
  for (var row = 0u; row < params.rows; row++) { s += ybar[(row * coeffs + params.shift) * N + o]; }
  let out = params.b_offset + o;
  if (params.accumulate != 0u) { s += bbar[out]; }
  bbar[out] = s;
}

// ---- reverse mode, four-wide ----
// The two products above with vec4 loads along the contiguous axis, as dense_forward_vec4
// (kernels/dense.ts picks them when inputs and outputs are multiples of 4). CRR's order-4 pass
// runs these over rows·5 jet rows, where the scalar kernels' per-element loads dominated
// (on SwiftShader ~2× slower than the vec4 forward product of the same size).
@group(0) @binding(11) var<storage, read> ybar4: array<vec4f>;
@group(0) @binding(12) var<storage, read_write> xbar4: array<vec4f>;
@group(0) @binding(13) var<storage, read_write> wbar4: array<vec4f>;

// Source row (in vec4 units of ȳ) of x̄ row m and whether it is live: ȳ[m + shift] when the
// order k + shift stays within the jet.
fn vjp4_source(m: u32, M: u32, coeffs: u32, N4: u32) -> vec2u {
  let ok = m < M && (m % coeffs) + params.shift < coeffs;
  return vec2u(select(0u, (m + params.shift) * N4, ok), select(0u, 1u, ok));
}

fn store_xbar4(m: u32, M: u32, I4: u32, i4: u32, v: vec4f, live: u32) {
  if (m >= M) { return; }
  let out = m * I4 + i4;
  var o = select(vec4f(0.0), v, live == 1u);
  if (params.accumulate != 0u) { o += xbar4[out]; }
  xbar4[out] = o;
}

// x̄ = ȳ·W: 8 rows × 4 inputs per thread; W's rows o..o+3 at inputs i0..i0+3 are four vec4 loads
// that need no transposition (acc += ȳ_o·W[o, i0..i0+3] over the four o of one ȳ vec4).
@compute @workgroup_size(64)
fn dense_vjp_input_vec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let M = params.rows * coeffs;
  let N4 = params.outputs / 4u;
  let I4 = params.inputs / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= ((M + 7u) / 8u) * I4) { return; }
  let m0 = (t / I4) * 8u;
  let i4 = t % I4;
  let r0 = vjp4_source(m0, M, coeffs, N4); let r1 = vjp4_source(m0 + 1u, M, coeffs, N4);
  let r2 = vjp4_source(m0 + 2u, M, coeffs, N4); let r3 = vjp4_source(m0 + 3u, M, coeffs, N4);
  let r4 = vjp4_source(m0 + 4u, M, coeffs, N4); let r5 = vjp4_source(m0 + 5u, M, coeffs, N4);
  let r6 = vjp4_source(m0 + 6u, M, coeffs, N4); let r7 = vjp4_source(m0 + 7u, M, coeffs, N4);
  let wo = params.w_offset / 4u + i4;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  for (var o4 = 0u; o4 < N4; o4++) {
    let wb = wo + o4 * 4u * I4;
    let t0 = w4[wb]; let t1 = w4[wb + I4]; let t2 = w4[wb + 2u * I4]; let t3 = w4[wb + 3u * I4];
    a0 = fma4(a0, ybar4[r0.x + o4], t0, t1, t2, t3);
    a1 = fma4(a1, ybar4[r1.x + o4], t0, t1, t2, t3);
    a2 = fma4(a2, ybar4[r2.x + o4], t0, t1, t2, t3);
    a3 = fma4(a3, ybar4[r3.x + o4], t0, t1, t2, t3);
    a4 = fma4(a4, ybar4[r4.x + o4], t0, t1, t2, t3);
    a5 = fma4(a5, ybar4[r5.x + o4], t0, t1, t2, t3);
    a6 = fma4(a6, ybar4[r6.x + o4], t0, t1, t2, t3);
    a7 = fma4(a7, ybar4[r7.x + o4], t0, t1, t2, t3);
  }
  store_xbar4(m0, M, I4, i4, a0, r0.y); store_xbar4(m0 + 1u, M, I4, i4, a1, r1.y);
  store_xbar4(m0 + 2u, M, I4, i4, a2, r2.y); store_xbar4(m0 + 3u, M, I4, i4, a3, r3.y);
  store_xbar4(m0 + 4u, M, I4, i4, a4, r4.y); store_xbar4(m0 + 5u, M, I4, i4, a5, r5.y);
  store_xbar4(m0 + 6u, M, I4, i4, a6, r6.y); store_xbar4(m0 + 7u, M, I4, i4, a7, r7.y);
}

// W̄_j = Σ_m ȳ[m]ᵀ·x[m − j]: outputs o0..o0+3 × inputs i0..i0+3 per thread, one vec4 of ȳ and
// one of x per jet row.
@compute @workgroup_size(64)
fn dense_vjp_weight_vec4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let coeffs = params.order + 1u;
  let N4 = params.outputs / 4u;
  let I4 = params.inputs / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= N4 * I4) { return; }
  let o4 = t / I4;
  let i4 = t % I4;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  for (var row = 0u; row < params.rows; row++) {
    for (var k = params.shift; k < coeffs; k++) {
      let yv = ybar4[(row * coeffs + k) * N4 + o4];
      let xv = x4[(row * coeffs + k - params.shift) * I4 + i4];
      a0 += yv.x * xv; a1 += yv.y * xv; a2 += yv.z * xv; a3 += yv.w * xv;
    }
  }
  // Row o of W̄ at inputs i0..i0+3 is vec4 (o·I + i0)/4.
  let base = params.w_offset / 4u + o4 * 4u * I4 + i4;
  var acc = array<vec4f, 4>(a0, a1, a2, a3);
  for (var r = 0u; r < 4u; r++) {
    let out = base + r * I4;
    var v = acc[r];
    if (params.accumulate != 0u) { v += wbar4[out]; }
    wbar4[out] = v;
  }
}
