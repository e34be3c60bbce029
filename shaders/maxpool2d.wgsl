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

// The input feature (c, iy, ix) that wins window (oy, ox) of channel c in `row`: the forward and
// the reverse pass share it, so the cotangent goes exactly where the value came from.
fn winner(row: u32, c: u32, oy: u32, ox: u32) -> u32 {
  let K = params.order;
  let W = params.width;
  let Fin = params.channels * params.height * W;
  let corner = (c * params.height + oy * params.stride) * W + ox * params.stride;
  let base = jet_index(row, 0u, 0u, K, Fin);
  var best = corner;
  // c_0 of the best so far stays in a register: most candidates are decided by c_0 alone, and
  // at K = 0 (training) that halves the loads.
  var best0 = x[base + corner];
  for (var dy = 0u; dy < params.size; dy++) {
    for (var dx = select(0u, 1u, dy == 0u); dx < params.size; dx++) {
      let cand = corner + dy * W + dx;
      let a0 = x[base + cand];
      var wins = a0 > best0;
      if (!wins && !(a0 < best0)) {
        // c_0 does not decide: the first order where the two series differ does.
        for (var k = 1u; k <= K; k++) {
          let a = x[jet_index(row, k, cand, K, Fin)];
          let b = x[jet_index(row, k, best, K, Fin)];
          if (a > b) { wins = true; break; }
          if (a < b) { break; }
        }
      }
      if (wins) { best = cand; best0 = a0; }
    }
  }
  return best;
}

@compute @workgroup_size(64)
fn maxpool2d_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K = params.order;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let Fin = params.channels * params.height * params.width;
  let Fout = params.channels * Ho * Wo;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * Fout) { return; }
  let row = t / Fout;
  let fo = t % Fout;
  let best = winner(row, fo / (Ho * Wo), (fo / Wo) % Ho, fo % Wo);
  for (var k = 0u; k <= K; k++) { y[jet_index(row, k, fo, K, Fout)] = x[jet_index(row, k, best, K, Fin)]; }
}

// ---- reverse mode ----
// x̄ = ȳ routed back to each window's winner. One thread per input element gathers from the
// windows that contain it (⌈size/stride⌉² at most) those it wins, recomputing each winner: no
// atomics, and overlapping windows (stride < size) that share a winner add up.

@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

@compute @workgroup_size(64)
fn maxpool2d_vjp(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K = params.order;
  let H = params.height;
  let W = params.width;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let s = params.stride;
  let Fin = params.channels * H * W;
  let Fout = params.channels * Ho * Wo;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * Fin) { return; }
  let row = t / Fin;
  let fi = t % Fin;
  let c = fi / (H * W);
  let iy = (fi / W) % H;
  let ix = fi % W;
  for (var k = 0u; k <= K; k++) { xbar[jet_index(row, k, fi, K, Fin)] = 0.0; }
  // Windows oy with oy·s ≤ iy < oy·s + size, likewise ox.
  let oy_lo = select(0u, (iy + s - params.size) / s, iy + 1u > params.size);
  let ox_lo = select(0u, (ix + s - params.size) / s, ix + 1u > params.size);
  for (var oy = oy_lo; oy <= min(iy / s, Ho - 1u); oy++) {
    for (var ox = ox_lo; ox <= min(ix / s, Wo - 1u); ox++) {
      if (winner(row, c, oy, ox) != fi) { continue; }
      let fo = (c * Ho + oy) * Wo + ox;
      for (var k = 0u; k <= K; k++) { xbar[jet_index(row, k, fi, K, Fin)] += ybar[jet_index(row, k, fo, K, Fout)]; }
    }
  }
}

// Windows that do not overlap (stride ≥ size) each own their inputs, so one thread per window
// writes all of it: ȳ at the winner, 0 at the others. That is one winner per window instead of
// one per input element, and no search for the windows that hold an element: the gather above
// took 9× the forward's time for training's 2×2 pool. Inputs in no window (the edge past the
// last one, gaps between windows) keep the zeros the host cleared x̄ to first.
@compute @workgroup_size(64)
fn maxpool2d_vjp_windows(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K = params.order;
  let W = params.width;
  let Ho = params.out_height;
  let Wo = params.out_width;
  let Fin = params.channels * params.height * W;
  let Fout = params.channels * Ho * Wo;
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.rows * Fout) { return; }
  let row = t / Fout;
  let fo = t % Fout;
  let c = fo / (Ho * Wo);
  let oy = (fo / Wo) % Ho;
  let ox = fo % Wo;
  let best = winner(row, c, oy, ox);
  let corner = (c * params.height + oy * params.stride) * W + ox * params.stride;
  for (var k = 0u; k <= K; k++) {
    let g = ybar[jet_index(row, k, fo, K, Fout)];
    let base = jet_index(row, k, 0u, K, Fin);
    for (var dy = 0u; dy < params.size; dy++) {
      for (var dx = 0u; dx < params.size; dx++) {
        let cand = corner + dy * W + dx;
        xbar[base + cand] = select(0.0, g, cand == best);
      }
    }
  }
}
