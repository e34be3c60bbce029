// Max pooling on jets ([C, H, W] features, no padding). For t > 0 small, the maximum of the
// series c_0 + c_1·t + … is the one that is lexicographically largest in (c_0, c_1, c_2, …), so
// the output is the whole jet of that element: the true one-sided directional expansion. A full
// tie keeps the first element in row-major window order. Nothing is computed, only copied.
// One thread per output element (row, channel, pixel).

struct Params {
  rows: u32, order: u32, channels: u32, height: u32, width: u32,
  out_height: u32, out_width: u32, size: u32, stride: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn maxpool2d_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K = params.order;
  let H = params.height;
  let W = params.width;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let Fin = params.channels * H * W;
  let Fout = params.channels * Ho * Wo;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * Fout) { return; }
  let row = t / Fout;
  let fo = t % Fout;
  let c = fo / (Ho * Wo);
  let oy = (fo / Wo) % Ho;
  let ox = fo % Wo;
  let corner = (c * H + oy * params.stride) * W + ox * params.stride;

  var best = corner;
  for (var dy = 0u; dy < params.size; dy++) {
    for (var dx = 0u; dx < params.size; dx++) {
      let cand = corner + dy * W + dx;
      // Walks the orders only as far as the two series agree.
      for (var k = 0u; k <= K; k++) {
        let a = x[jet_index(row, k, cand, K, Fin)];
        let b = x[jet_index(row, k, best, K, Fin)];
        if (a > b) { best = cand; break; }
        if (a < b) { break; }
      }
    }
  }
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, fo, K, Fout)] = x[jet_index(row, k, best, K, Fin)]; }
}
