// 2-D convolution on jets. A jet [rows, K+1, C, H, W] is an NCHW batch of N = rows·(K+1) images,
// and a convolution is linear, so order k of the output is the same convolution of order k of
// the input: y_k = conv(x_k) + (k == 0 ? bias : 0). ONE dispatch covers every row and order.
// Each thread computes 8 output channels × 4 adjacent output pixels of one output row in
// registers, with no workgroup memory (on SwiftShader barriers cost more than they save,
// ARCHITECTURE.md, "Where it runs"): each input load feeds 8 channels, each weight load 4 pixels. Windows inside the
// image take one flat loop over the taps with the input offset stepped along: on SwiftShader that
// ran 2× faster than nested (channel, ky, kx) loops of 3 iterations, as fast as the dense kernel.

struct Params {
  images: u32, coeffs: u32, in_channels: u32, out_channels: u32,
  height: u32, width: u32, out_height: u32, out_width: u32,
  kernel_h: u32, kernel_w: u32, stride: u32, padding: u32,
  // Reverse mode only (the forward passes 0): W̄ and b̄ partial sums, and x̄'s padded ȳ.
  splits: u32, chunk: u32, pad_top: u32, pad_left: u32, padded_h: u32, padded_w: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>; // [out][in][kh][kw]
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;

// Input (row start, column ix) of the current image, 0 in the padding.
fn pixel(row: u32, ix: i32) -> f32 {
  let W = i32(params.width);
  return select(0.0, x[row + u32(clamp(ix, 0, W - 1))], ix >= 0 && ix < W);
}

@compute @workgroup_size(64)
fn conv2d_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cin = params.in_channels;
  let Cout = params.out_channels;
  let H = params.height;
  let W = params.width;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let KH = params.kernel_h;
  let KW = params.kernel_w;
  let oc_blocks = (Cout + 7u) / 8u;
  let ox_blocks = (Wo + 3u) / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.images * oc_blocks * Ho * ox_blocks) { return; }
  // Adjacent threads take adjacent pixel blocks, so their input reads overlap.
  let oxb = t % ox_blocks;
  var r = t / ox_blocks;
  let oy = r % Ho;
  r = r / Ho;
  let oc0 = (r % oc_blocks) * 8u;
  let n = r / oc_blocks;
  let ox0 = oxb * 4u;

  // Channels and pixels past the edge repeat the last one; their results are not written.
  // Everything stays in named scalars and vec4s: private arrays (dynamically indexed or not) made
  // this kernel 3× slower on SwiftShader.
  let taps = Cin * KH * KW;
  let w0 = min(oc0, Cout - 1u) * taps;
  let w1 = min(oc0 + 1u, Cout - 1u) * taps;
  let w2 = min(oc0 + 2u, Cout - 1u) * taps;
  let w3 = min(oc0 + 3u, Cout - 1u) * taps;
  let w4 = min(oc0 + 4u, Cout - 1u) * taps;
  let w5 = min(oc0 + 5u, Cout - 1u) * taps;
  let w6 = min(oc0 + 6u, Cout - 1u) * taps;
  let w7 = min(oc0 + 7u, Cout - 1u) * taps;
  let s = i32(params.stride);
  let pad = i32(params.padding);
  let ix0 = i32(min(ox0, Wo - 1u)) * s - pad;
  let ix1 = i32(min(ox0 + 1u, Wo - 1u)) * s - pad;
  let ix2 = i32(min(ox0 + 2u, Wo - 1u)) * s - pad;
  let ix3 = i32(min(ox0 + 3u, Wo - 1u)) * s - pad;
  let iy0 = i32(oy * params.stride) - pad;

  // a_j, b_j: pixel ox0 + j, output channels oc0..oc0+3 and oc0+4..oc0+7.
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  var b0 = vec4f(0.0);
  var b1 = vec4f(0.0);
  var b2 = vec4f(0.0);
  var b3 = vec4f(0.0);
  if (ix0 >= 0 && ix3 + i32(KW) <= i32(W) && iy0 >= 0 && iy0 + i32(KH) <= i32(H)) {
    var at = n * Cin * H * W + u32(iy0) * W;
    var kx = 0u;
    var ky = 0u;
    for (var t = 0u; t < taps; t++) {
      let wa = vec4f(w[w0 + t], w[w1 + t], w[w2 + t], w[w3 + t]);
      let wb = vec4f(w[w4 + t], w[w5 + t], w[w6 + t], w[w7 + t]);
      let p0 = x[at + u32(ix0)];
      let p1 = x[at + u32(ix1)];
      let p2 = x[at + u32(ix2)];
      let p3 = x[at + u32(ix3)];
      a0 += p0 * wa; a1 += p1 * wa; a2 += p2 * wa; a3 += p3 * wa;
      b0 += p0 * wb; b1 += p1 * wb; b2 += p2 * wb; b3 += p3 * wb;
      at += 1u;
      kx += 1u;
      if (kx == KW) {
        kx = 0u;
        at += W - KW;
        ky += 1u;
        if (ky == KH) { ky = 0u; at += (H - KH) * W; }
      }
    }
  } else {
    for (var ci = 0u; ci < Cin; ci++) {
      for (var ky = 0u; ky < KH; ky++) {
        let iy = iy0 + i32(ky);
        if (iy < 0 || iy >= i32(H)) { continue; }
        let row = ((n * Cin + ci) * H + u32(iy)) * W;
        for (var kx = 0u; kx < KW; kx++) {
          let wi = (ci * KH + ky) * KW + kx;
          let wa = vec4f(w[w0 + wi], w[w1 + wi], w[w2 + wi], w[w3 + wi]);
          let wb = vec4f(w[w4 + wi], w[w5 + wi], w[w6 + wi], w[w7 + wi]);
          let dx = i32(kx);
          let p0 = pixel(row, ix0 + dx);
          let p1 = pixel(row, ix1 + dx);
          let p2 = pixel(row, ix2 + dx);
          let p3 = pixel(row, ix3 + dx);
          a0 += p0 * wa; a1 += p1 * wa; a2 += p2 * wa; a3 += p3 * wa;
          b0 += p0 * wb; b1 += p1 * wb; b2 += p2 * wb; b3 += p3 * wb;
        }
      }
    }
  }

  let acc = array<vec4f, 8>(a0, a1, a2, a3, b0, b1, b2, b3);
  let with_bias = n % params.coeffs == 0u;
  for (var c = 0u; c < 8u; c++) {
    let oc = oc0 + c;
    if (oc >= Cout) { break; }
    let b = select(0.0, bias[oc], with_bias);
    for (var j = 0u; j < 4u; j++) {
      let ox = ox0 + j;
      if (ox >= Wo) { break; }
      y[((n * Cout + oc) * Ho + oy) * Wo + ox] = acc[(c / 4u) * 4u + j][c % 4u] + b;
    }
  }
}

// Padding 0: every window lies inside the image, so a thread's pixels need not share a row:
// they are 8 consecutive pixels of the flattened Ho·Wo output, pixel j reading x at a fixed
// distance d_j from pixel 0 for every tap. Blocks along a row computed 16 pixels for the 13 of
// the small CNN's first layer, and 8 pixels (each tap's 8 weight and 8 x loads feeding 64
// products) ran 1.2-1.4× faster than 4 on SwiftShader.
@compute @workgroup_size(64)
fn conv2d_forward_p0(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cin = params.in_channels;
  let Cout = params.out_channels;
  let H = params.height;
  let W = params.width;
  let Wo = params.out_width;
  let KH = params.kernel_h;
  let KW = params.kernel_w;
  let s = params.stride;
  let HWo = params.out_height * Wo;
  let oc_blocks = (Cout + 7u) / 8u;
  let q_blocks = (HWo + 7u) / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.images * oc_blocks * q_blocks) { return; }
  let q0 = (t % q_blocks) * 8u;
  let r = t / q_blocks;
  let oc0 = (r % oc_blocks) * 8u;
  let n = r / oc_blocks;
  let qa = min(vec4u(q0) + vec4u(0u, 1u, 2u, 3u), vec4u(HWo - 1u));
  let qb = min(vec4u(q0) + vec4u(4u, 5u, 6u, 7u), vec4u(HWo - 1u));
  let at_a = (qa / vec4u(Wo)) * (s * W) + (qa % vec4u(Wo)) * s;
  let at_b = (qb / vec4u(Wo)) * (s * W) + (qb % vec4u(Wo)) * s;
  let da = at_a - vec4u(at_a.x);
  let db = at_b - vec4u(at_a.x);

  let taps = Cin * KH * KW;
  let w0 = min(oc0, Cout - 1u) * taps;
  let w1 = min(oc0 + 1u, Cout - 1u) * taps;
  let w2 = min(oc0 + 2u, Cout - 1u) * taps;
  let w3 = min(oc0 + 3u, Cout - 1u) * taps;
  let w4 = min(oc0 + 4u, Cout - 1u) * taps;
  let w5 = min(oc0 + 5u, Cout - 1u) * taps;
  let w6 = min(oc0 + 6u, Cout - 1u) * taps;
  let w7 = min(oc0 + 7u, Cout - 1u) * taps;
  // a_j, b_j: pixel q0 + j, channels oc0..oc0+3 and oc0+4..oc0+7.
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  var at = n * Cin * H * W + at_a.x;
  var kx = 0u;
  var ky = 0u;
  for (var tap = 0u; tap < taps; tap++) {
    let wa = vec4f(w[w0 + tap], w[w1 + tap], w[w2 + tap], w[w3 + tap]);
    let wb = vec4f(w[w4 + tap], w[w5 + tap], w[w6 + tap], w[w7 + tap]);
    let p0 = x[at];
    let p1 = x[at + da.y];
    let p2 = x[at + da.z];
    let p3 = x[at + da.w];
    let p4 = x[at + db.x];
    let p5 = x[at + db.y];
    let p6 = x[at + db.z];
    let p7 = x[at + db.w];
    a0 += p0 * wa; a1 += p1 * wa; a2 += p2 * wa; a3 += p3 * wa; a4 += p4 * wa; a5 += p5 * wa; a6 += p6 * wa; a7 += p7 * wa;
    b0 += p0 * wb; b1 += p1 * wb; b2 += p2 * wb; b3 += p3 * wb; b4 += p4 * wb; b5 += p5 * wb; b6 += p6 * wb; b7 += p7 * wb;
    at += 1u;
    kx += 1u;
    if (kx == KW) {
      kx = 0u;
      at += W - KW;
      ky += 1u;
      if (ky == KH) { ky = 0u; at += (H - KH) * W; }
    }
  }
  let acc = array<vec4f, 16>(a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7);
  let with_bias = n % params.coeffs == 0u;
  for (var c = 0u; c < 8u; c++) {
    let oc = oc0 + c;
    if (oc >= Cout) { break; }
    let b = select(0.0, bias[oc], with_bias);
    for (var j = 0u; j < 8u; j++) {
      if (q0 + j >= HWo) { break; }
      y[(n * Cout + oc) * HWo + q0 + j] = acc[(c / 4u) * 8u + j][c % 4u] + b;
    }
  }
}

// ---- reverse mode ----
// The convolution is linear and the same at every order, so x̄ and W̄ treat all N = rows·(K+1)
// images alike: x̄ is the transposed convolution of ȳ with W, W̄ sums ȳ ⊗ x windows over every
// image and position, and b̄ sums ȳ over the order-0 images only (the bias enters c_0 alone).
// All are gathers (every output element computed by one thread, no atomics). W̄ and b̄ have few
// outputs and long sums, so they are split over `splits` chunks of `chunk` output lines
// (image, oy) into `partial` [splits][Cout·taps + Cout], then summed and ADDED into wbar, bbar.

@group(0) @binding(5) var<storage, read> ybar: array<f32>;
@group(0) @binding(6) var<storage, read_write> xbar: array<f32>;
@group(0) @binding(7) var<storage, read_write> partial: array<f32>;
@group(0) @binding(8) var<storage, read_write> wbar: array<f32>;
@group(0) @binding(9) var<storage, read_write> bbar: array<f32>;
@group(0) @binding(10) var<storage, read> ypad: array<f32>;
@group(0) @binding(11) var<storage, read_write> ypad4: array<vec4f>;

// ȳ copied into a zero border (pad_top rows above, pad_left columns left, padded_h × padded_w in
// all) wide enough that every tap x̄ gathers lands inside it: the x̄ kernel then runs one
// branch-free loop for every pixel. Checking bounds instead made border blocks take another
// path, and SIMD lanes that mix the two paths run both (measured 2× slower on SwiftShader).
// padded_w is a multiple of 4 and a thread writes 4 adjacent entries as one vec4: one thread per
// entry spent 4× as long on thread overhead as on the copy (a third of x̄'s time at K = 0).
@compute @workgroup_size(64)
fn conv2d_vjp_pad(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Hp = params.padded_h;
  let Wp4 = params.padded_w / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.images * params.out_channels * Hp * Wp4) { return; }
  let plane = t / (Hp * Wp4);
  let oy = i32((t / Wp4) % Hp) - i32(params.pad_top);
  let ox = vec4i(i32((t % Wp4) * 4u) - i32(params.pad_left)) + vec4i(0, 1, 2, 3);
  let Wo = i32(params.out_width);
  let row_ok = oy >= 0 && oy < i32(params.out_height);
  let ok = vec4<bool>(row_ok) & (ox >= vec4i(0)) & (ox < vec4i(Wo));
  let base = (plane * params.out_height + u32(clamp(oy, 0, i32(params.out_height) - 1))) * params.out_width;
  let cx = vec4u(clamp(ox, vec4i(0), vec4i(Wo - 1)));
  let v = vec4f(ybar[base + cx.x], ybar[base + cx.y], ybar[base + cx.z], ybar[base + cx.w]);
  ypad4[t] = select(vec4f(0.0), v, ok);
}

// x̄[n, ci, iy, ix] = Σ W[oc, ci, ky, kx]·ȳ[n, oc, oy, ox] over iy = oy·s + ky − p, ix = ox·s + kx − p.
// A thread takes 8 input channels × the 4 input pixels ix0 + j·s of one input row: pixels of one
// residue mod s are reached by the same taps kx (those ≡ ix0 + p mod s) at consecutive ox0 + j,
// so each weight load feeds 4 pixels and each ȳ load 8 channels, as in the forward.
@compute @workgroup_size(64)
fn conv2d_vjp_input(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cin = params.in_channels;
  let Cout = params.out_channels;
  let H = params.height;
  let W = params.width;
  let KH = params.kernel_h;
  let KW = params.kernel_w;
  let s = params.stride;
  let p = params.padding;
  let Hp = params.padded_h;
  let Wp = params.padded_w;
  let ci_blocks = (Cin + 7u) / 8u;
  let per_phase = ((W + s - 1u) / s + 3u) / 4u;
  let ix_blocks = s * per_phase;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.images * ci_blocks * H * ix_blocks) { return; }
  let xb = t % ix_blocks;
  var r = t / ix_blocks;
  let iy = r % H;
  r = r / H;
  let ci0 = (r % ci_blocks) * 8u;
  let n = r / ci_blocks;
  let ix0 = xb / per_phase + (xb % per_phase) * 4u * s;
  if (ix0 >= W) { return; }

  // Taps kx = kx1 + m·s reach pixel j at ox = ox1 − m + j; likewise ky = ky1 + m·s at oy = oy1 − m.
  let kx1 = (ix0 + p) % s;
  let ox1 = (ix0 + p - kx1) / s;
  let nkx = select(0u, (KW - kx1 + s - 1u) / s, kx1 < KW);
  let ky1 = (iy + p) % s;
  let oy1 = (iy + p - ky1) / s;
  let nky = select(0u, (KH - ky1 + s - 1u) / s, ky1 < KH);

  let kk = KH * KW;
  let c0 = min(ci0, Cin - 1u) * kk;
  let c1 = min(ci0 + 1u, Cin - 1u) * kk;
  let c2 = min(ci0 + 2u, Cin - 1u) * kk;
  let c3 = min(ci0 + 3u, Cin - 1u) * kk;
  let c4 = min(ci0 + 4u, Cin - 1u) * kk;
  let c5 = min(ci0 + 5u, Cin - 1u) * kk;
  let c6 = min(ci0 + 6u, Cin - 1u) * kk;
  let c7 = min(ci0 + 7u, Cin - 1u) * kk;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  var a2 = vec4f(0.0);
  var a3 = vec4f(0.0);
  var b0 = vec4f(0.0);
  var b1 = vec4f(0.0);
  var b2 = vec4f(0.0);
  var b3 = vec4f(0.0);
  // One flat loop over (oc, ky, kx) with the offsets stepped along, as in the forward.
  let taps = Cout * nky * nkx;
  var yi = (n * Cout * Hp + oy1 + params.pad_top) * Wp + ox1 + params.pad_left;
  var wi = ky1 * KW + kx1;
  var mx = 0u;
  var my = 0u;
  for (var q = 0u; q < taps; q++) {
    let wa = vec4f(w[wi + c0], w[wi + c1], w[wi + c2], w[wi + c3]);
    let wb = vec4f(w[wi + c4], w[wi + c5], w[wi + c6], w[wi + c7]);
    let p0 = ypad[yi];
    let p1 = ypad[yi + 1u];
    let p2 = ypad[yi + 2u];
    let p3 = ypad[yi + 3u];
    a0 += p0 * wa; a1 += p1 * wa; a2 += p2 * wa; a3 += p3 * wa;
    b0 += p0 * wb; b1 += p1 * wb; b2 += p2 * wb; b3 += p3 * wb;
    mx += 1u;
    yi -= 1u;
    wi += s;
    if (mx == nkx) {
      mx = 0u;
      yi += nkx;
      yi -= Wp;
      wi += s * KW - nkx * s;
      my += 1u;
      if (my == nky) {
        my = 0u;
        yi += (nky + Hp) * Wp;
        wi += Cin * kk;
        wi -= nky * s * KW;
      }
    }
  }
  let acc = array<vec4f, 8>(a0, a1, a2, a3, b0, b1, b2, b3);
  for (var c = 0u; c < 8u; c++) {
    let ci = ci0 + c;
    if (ci >= Cin) { break; }
    for (var j = 0u; j < 4u; j++) {
      let ix = ix0 + j * s;
      if (ix >= W) { break; }
      xbar[((n * Cin + ci) * H + iy) * W + ix] = acc[(c / 4u) * 4u + j][c % 4u];
    }
  }
}

// Stride 1: every pixel takes all KH·KW taps at the same offsets into the padded ȳ, so a
// thread's pixels need not share a row: they are 8 consecutive pixels of the flattened H·W image
// (pixel j reads ypad at a fixed distance d_j from pixel 0). Blocks of 4 along a row wasted up to
// 3 of every 4 pixels at the row's end (13-wide maps: 16 computed for 13), and 8 pixels a thread
// (each tap's loads feeding 64 products) ran 1.35× faster than 4 on SwiftShader.
@compute @workgroup_size(64)
fn conv2d_vjp_input_s1(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cin = params.in_channels;
  let Cout = params.out_channels;
  let H = params.height;
  let W = params.width;
  let KH = params.kernel_h;
  let KW = params.kernel_w;
  let p = params.padding;
  let Hp = params.padded_h;
  let Wp = params.padded_w;
  let HW = H * W;
  let ci_blocks = (Cin + 7u) / 8u;
  let q_blocks = (HW + 7u) / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.images * ci_blocks * q_blocks) { return; }
  let q0 = (t % q_blocks) * 8u;
  let r = t / q_blocks;
  let ci0 = (r % ci_blocks) * 8u;
  let n = r / ci_blocks;
  let qa = min(vec4u(q0) + vec4u(0u, 1u, 2u, 3u), vec4u(HW - 1u));
  let qb = min(vec4u(q0) + vec4u(4u, 5u, 6u, 7u), vec4u(HW - 1u));
  let iy = qa / vec4u(W);
  let ix = qa % vec4u(W);
  let pa = iy * Wp + ix;
  let pb = (qb / vec4u(W)) * Wp + qb % vec4u(W);
  let da = pa - vec4u(pa.x);
  let db = pb - vec4u(pa.x);

  let kk = KH * KW;
  let c0 = min(ci0, Cin - 1u) * kk;
  let c1 = min(ci0 + 1u, Cin - 1u) * kk;
  let c2 = min(ci0 + 2u, Cin - 1u) * kk;
  let c3 = min(ci0 + 3u, Cin - 1u) * kk;
  let c4 = min(ci0 + 4u, Cin - 1u) * kk;
  let c5 = min(ci0 + 5u, Cin - 1u) * kk;
  let c6 = min(ci0 + 6u, Cin - 1u) * kk;
  let c7 = min(ci0 + 7u, Cin - 1u) * kk;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  // Tap (oc, ky, kx) of pixel 0 reads ypad at its (oy, ox) = (iy + p − ky, ix + p − kx).
  let taps = Cout * kk;
  var yi = (n * Cout * Hp + iy.x + p + params.pad_top) * Wp + ix.x + p + params.pad_left;
  var wi = 0u;
  var mx = 0u;
  var my = 0u;
  for (var tap = 0u; tap < taps; tap++) {
    let wa = vec4f(w[wi + c0], w[wi + c1], w[wi + c2], w[wi + c3]);
    let wb = vec4f(w[wi + c4], w[wi + c5], w[wi + c6], w[wi + c7]);
    let p0 = ypad[yi];
    let p1 = ypad[yi + da.y];
    let p2 = ypad[yi + da.z];
    let p3 = ypad[yi + da.w];
    let p4 = ypad[yi + db.x];
    let p5 = ypad[yi + db.y];
    let p6 = ypad[yi + db.z];
    let p7 = ypad[yi + db.w];
    a0 += p0 * wa; a1 += p1 * wa; a2 += p2 * wa; a3 += p3 * wa; a4 += p4 * wa; a5 += p5 * wa; a6 += p6 * wa; a7 += p7 * wa;
    b0 += p0 * wb; b1 += p1 * wb; b2 += p2 * wb; b3 += p3 * wb; b4 += p4 * wb; b5 += p5 * wb; b6 += p6 * wb; b7 += p7 * wb;
    mx += 1u;
    yi -= 1u;
    wi += 1u;
    if (mx == KW) {
      mx = 0u;
      yi += KW;
      yi -= Wp;
      my += 1u;
      if (my == KH) {
        my = 0u;
        yi += (KH + Hp) * Wp;
        wi += Cin * kk - kk;
      }
    }
  }
  let acc = array<vec4f, 16>(a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7);
  for (var c = 0u; c < 8u; c++) {
    let ci = ci0 + c;
    if (ci >= Cin) { break; }
    for (var j = 0u; j < 8u; j++) {
      if (q0 + j >= HW) { break; }
      xbar[(n * Cin + ci) * HW + q0 + j] = acc[(c / 4u) * 8u + j][c % 4u];
    }
  }
}

// x at flat image offset `base` + tap offset, when (iy, ix) lies in the image; 0 in the padding.
fn x_tap(base: u32, iy: i32, ix: i32) -> f32 {
  let ok = iy >= 0 && iy < i32(params.height) && ix >= 0 && ix < i32(params.width);
  return select(0.0, x[base + u32(clamp(iy, 0, i32(params.height) - 1)) * params.width + u32(clamp(ix, 0, i32(params.width) - 1))], ok);
}

// Partial W̄[oc, tap] over the output lines of one split: 8 output channels × 4 consecutive taps
// (ci, ky, kx) per thread. Along a line, tap j reads x at a fixed offset from the window corner,
// so each x load feeds 8 channels and each ȳ load 4 taps.
@compute @workgroup_size(64)
fn conv2d_vjp_weight(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cin = params.in_channels;
  let Cout = params.out_channels;
  let H = params.height;
  let W = params.width;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let KH = params.kernel_h;
  let KW = params.kernel_w;
  let s = params.stride;
  let taps = Cin * KH * KW;
  let tap_blocks = (taps + 3u) / 4u;
  let oc_blocks = (Cout + 7u) / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.splits * oc_blocks * tap_blocks) { return; }
  let tp0 = (t % tap_blocks) * 4u;
  let oc0 = ((t / tap_blocks) % oc_blocks) * 8u;
  let split = t / (tap_blocks * oc_blocks);
  let tp = vec4u(tp0, min(tp0 + 1u, taps - 1u), min(tp0 + 2u, taps - 1u), min(tp0 + 3u, taps - 1u));
  let ci = tp / (KH * KW);
  let ky = (tp / KW) % KH;
  let kx = tp % KW;
  let plane = Ho * Wo;
  let o0 = min(oc0, Cout - 1u) * plane;
  let o1 = min(oc0 + 1u, Cout - 1u) * plane;
  let o2 = min(oc0 + 2u, Cout - 1u) * plane;
  let o3 = min(oc0 + 3u, Cout - 1u) * plane;
  let o4 = min(oc0 + 4u, Cout - 1u) * plane;
  let o5 = min(oc0 + 5u, Cout - 1u) * plane;
  let o6 = min(oc0 + 6u, Cout - 1u) * plane;
  let o7 = min(oc0 + 7u, Cout - 1u) * plane;
  var a = vec4f(0.0);
  var b = vec4f(0.0);
  var c = vec4f(0.0);
  var d = vec4f(0.0);
  var e = vec4f(0.0);
  var f = vec4f(0.0);
  var g = vec4f(0.0);
  var h = vec4f(0.0);
  let first = split * params.chunk;
  let last = min(first + params.chunk, params.images * Ho);
  for (var line = first; line < last; line++) {
    let n = line / Ho;
    let oy = line % Ho;
    let yb = n * Cout * plane + oy * Wo;
    if (params.padding == 0u) {
      // Every window lies inside the image: tap j of pixel ox is x[xb + ox·s + off_j].
      let xb = n * Cin * H * W + oy * s * W;
      let off = (ci * H + ky) * W + kx;
      var xi = xb;
      for (var ox = 0u; ox < Wo; ox++) {
        let xv = vec4f(x[xi + off.x], x[xi + off.y], x[xi + off.z], x[xi + off.w]);
        let yi = yb + ox;
        a += ybar[yi + o0] * xv; b += ybar[yi + o1] * xv; c += ybar[yi + o2] * xv; d += ybar[yi + o3] * xv;
        e += ybar[yi + o4] * xv; f += ybar[yi + o5] * xv; g += ybar[yi + o6] * xv; h += ybar[yi + o7] * xv;
        xi += s;
      }
    } else {
      let pad = i32(params.padding);
      let base = (n * Cin + ci) * H * W;
      let iy = vec4i(i32(oy * s) - pad) + vec4i(ky);
      for (var ox = 0u; ox < Wo; ox++) {
        let ix = vec4i(i32(ox * s) - pad) + vec4i(kx);
        let xv = vec4f(x_tap(base.x, iy.x, ix.x), x_tap(base.y, iy.y, ix.y), x_tap(base.z, iy.z, ix.z), x_tap(base.w, iy.w, ix.w));
        let yi = yb + ox;
        a += ybar[yi + o0] * xv; b += ybar[yi + o1] * xv; c += ybar[yi + o2] * xv; d += ybar[yi + o3] * xv;
        e += ybar[yi + o4] * xv; f += ybar[yi + o5] * xv; g += ybar[yi + o6] * xv; h += ybar[yi + o7] * xv;
      }
    }
  }
  let acc = array<vec4f, 8>(a, b, c, d, e, f, g, h);
  let stride = Cout * taps + Cout;
  for (var r = 0u; r < 8u; r++) {
    let oc = oc0 + r;
    if (oc >= Cout) { break; }
    for (var j = 0u; j < 4u; j++) {
      if (tp0 + j >= taps) { break; }
      partial[split * stride + oc * taps + tp0 + j] = acc[r][j];
    }
  }
}

// Padding 0, 8 output channels × 8 taps per thread: each position's 8 ȳ loads and 8 x loads
// feed 64 products (0.25 loads a product against 0.375 for 8 × 4).
@compute @workgroup_size(64)
fn conv2d_vjp_weight8(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cin = params.in_channels;
  let Cout = params.out_channels;
  let H = params.height;
  let W = params.width;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let KH = params.kernel_h;
  let KW = params.kernel_w;
  let s = params.stride;
  let taps = Cin * KH * KW;
  let tap_blocks = (taps + 7u) / 8u;
  let oc_blocks = (Cout + 7u) / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.splits * oc_blocks * tap_blocks) { return; }
  let tp0 = (t % tap_blocks) * 8u;
  let oc0 = ((t / tap_blocks) % oc_blocks) * 8u;
  let split = t / (tap_blocks * oc_blocks);
  let last_tap = taps - 1u;
  let ta = min(vec4u(tp0) + vec4u(0u, 1u, 2u, 3u), vec4u(last_tap));
  let tb = min(vec4u(tp0) + vec4u(4u, 5u, 6u, 7u), vec4u(last_tap));
  let offa = ((ta / (KH * KW)) * H + (ta / KW) % KH) * W + ta % KW;
  let offb = ((tb / (KH * KW)) * H + (tb / KW) % KH) * W + tb % KW;
  let plane = Ho * Wo;
  let o0 = min(oc0, Cout - 1u) * plane;
  let o1 = min(oc0 + 1u, Cout - 1u) * plane;
  let o2 = min(oc0 + 2u, Cout - 1u) * plane;
  let o3 = min(oc0 + 3u, Cout - 1u) * plane;
  let o4 = min(oc0 + 4u, Cout - 1u) * plane;
  let o5 = min(oc0 + 5u, Cout - 1u) * plane;
  let o6 = min(oc0 + 6u, Cout - 1u) * plane;
  let o7 = min(oc0 + 7u, Cout - 1u) * plane;
  var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
  var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
  var b0 = vec4f(0.0); var b1 = vec4f(0.0); var b2 = vec4f(0.0); var b3 = vec4f(0.0);
  var b4 = vec4f(0.0); var b5 = vec4f(0.0); var b6 = vec4f(0.0); var b7 = vec4f(0.0);
  let first = split * params.chunk;
  let last = min(first + params.chunk, params.images * Ho);
  for (var line = first; line < last; line++) {
    let n = line / Ho;
    let oy = line % Ho;
    var yi = n * Cout * plane + oy * Wo;
    var xi = n * Cin * H * W + oy * s * W;
    for (var ox = 0u; ox < Wo; ox++) {
      let xa = vec4f(x[xi + offa.x], x[xi + offa.y], x[xi + offa.z], x[xi + offa.w]);
      let xb = vec4f(x[xi + offb.x], x[xi + offb.y], x[xi + offb.z], x[xi + offb.w]);
      let y0 = ybar[yi + o0]; let y1 = ybar[yi + o1]; let y2 = ybar[yi + o2]; let y3 = ybar[yi + o3];
      let y4 = ybar[yi + o4]; let y5 = ybar[yi + o5]; let y6 = ybar[yi + o6]; let y7 = ybar[yi + o7];
      a0 += y0 * xa; a1 += y1 * xa; a2 += y2 * xa; a3 += y3 * xa; a4 += y4 * xa; a5 += y5 * xa; a6 += y6 * xa; a7 += y7 * xa;
      b0 += y0 * xb; b1 += y1 * xb; b2 += y2 * xb; b3 += y3 * xb; b4 += y4 * xb; b5 += y5 * xb; b6 += y6 * xb; b7 += y7 * xb;
      xi += s;
      yi += 1u;
    }
  }
  let acc = array<vec4f, 16>(a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7);
  let stride = Cout * taps + Cout;
  for (var r = 0u; r < 8u; r++) {
    let oc = oc0 + r;
    if (oc >= Cout) { break; }
    for (var j = 0u; j < 8u; j++) {
      if (tp0 + j >= taps) { break; }
      partial[split * stride + oc * taps + tp0 + j] = acc[(j / 4u) * 8u + r][j % 4u];
    }
  }
}

// Partial b̄[oc] over one split of the order-0 output lines (row, oy); the same `splits` as W̄.
@compute @workgroup_size(64)
fn conv2d_vjp_bias(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let Cout = params.out_channels;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.splits * Cout) { return; }
  let oc = t % Cout;
  let split = t / Cout;
  let lines = (params.images / params.coeffs) * Ho;
  let chunk = (lines + params.splits - 1u) / params.splits;
  var acc = 0.0;
  for (var line = split * chunk; line < min(lines, (split + 1u) * chunk); line++) {
    let n = (line / Ho) * params.coeffs;
    let yb = ((n * Cout + oc) * Ho + line % Ho) * Wo;
    for (var ox = 0u; ox < Wo; ox++) { acc += ybar[yb + ox]; }
  }
  let wsize = Cout * params.in_channels * params.kernel_h * params.kernel_w;
  partial[split * (wsize + Cout) + wsize + oc] = acc;
}

// Sums the splits' partials of every W̄ and b̄ element and adds them into wbar, bbar.
@compute @workgroup_size(64)
fn conv2d_vjp_reduce(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let wsize = params.out_channels * params.in_channels * params.kernel_h * params.kernel_w;
  let stride = wsize + params.out_channels;
  let t = flat_index(gid, nwg, 64u);
  if (t >= stride) { return; }
  var acc = 0.0;
  for (var split = 0u; split < params.splits; split++) { acc += partial[split * stride + t]; }
  if (t < wsize) { wbar[t] += acc; } else { bbar[t - wsize] += acc; }
}
