// 2-D convolution on jets. A jet [rows, K+1, C, H, W] is an NCHW batch of N = rows·(K+1) images,
// and a convolution is linear, so order k of the output is the same convolution of order k of
// the input: y_k = conv(x_k) + (k == 0 ? bias : 0). ONE dispatch covers every row and order.
// Each thread computes 8 output channels × 4 adjacent output pixels of one output row in
// registers, with no workgroup memory (on SwiftShader barriers cost more than they save,
// DESIGN.md): each input load feeds 8 channels, each weight load 4 pixels. Windows inside the
// image take one flat loop over the taps with the input offset stepped along: on SwiftShader that
// ran 2× faster than nested (channel, ky, kx) loops of 3 iterations, as fast as the dense kernel.

struct Params {
  images: u32, coeffs: u32, in_channels: u32, out_channels: u32,
  height: u32, width: u32, out_height: u32, out_width: u32,
  kernel_h: u32, kernel_w: u32, stride: u32, padding: u32,
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
