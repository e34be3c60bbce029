// Batch normalization over the channel axis of a jet [rows, K+1, C, S] (S positions per channel:
// 1 after a dense layer, H·W after a convolution). With a per-channel center m and inverse
// deviation r = 1/√(var + eps), both modes are the same affine map per channel:
//   y_0 = (x_0 − m)·r·weight + bias,   y_k = x_k·r·weight (k ≥ 1),
// eval mode with the running statistics (any order), train mode with the batch's (order 0).
// The statistics live in a [C][2] buffer (m, r). The per-channel sums (batch mean and variance,
// and the reverse pass's Σȳ and Σȳ·(x − m)) run in two passes: `chunks` threads per channel each
// sum `chunk` consecutive values (rows × positions) into a partial, then one thread per channel
// combines its partials. This keeps ~1000 threads busy whatever C is, and each f32 sum short.

struct Params {
  images: u32, coeffs: u32, channels: u32, spatial: u32,
  chunks: u32, chunk: u32,
  // 1: normalized with the batch's statistics (x̄ carries their derivative).
  train: u32,
  // 1: the train-mode statistics pass also moves the running statistics.
  update: u32,
  eps: f32, momentum: f32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read> bias: array<f32>;
@group(0) @binding(5) var<storage, read_write> running_mean: array<f32>;
@group(0) @binding(6) var<storage, read_write> running_var: array<f32>;
// (m, r) per channel: written by the statistics passes, read by the others.
@group(0) @binding(7) var<storage, read_write> stats_out: array<f32>;
@group(0) @binding(8) var<storage, read> stats: array<f32>;
// Two partial sums per (channel, chunk).
@group(0) @binding(9) var<storage, read_write> partial: array<f32>;
@group(0) @binding(10) var<storage, read> partial_in: array<f32>;

// Values per channel: every image (row and order) at every position.
fn per_channel() -> u32 {
  return params.images * params.spatial;
}

// Values a chunk holds (the last may be short).
fn chunk_size(j: u32) -> u32 {
  return min(params.chunk, per_channel() - j * params.chunk);
}

// The values of channel c run in segments: image i holds values m = i·S .. i·S + S − 1 of it,
// contiguous at (i·C + c)·S. A chunk's loop walks segments, dividing once per segment.
struct Segment { base: u32, length: u32, image: u32 }

fn segment(c: u32, m: u32, end: u32) -> Segment {
  let S = params.spatial;
  let image = m / S;
  let s = m % S;
  return Segment((image * params.channels + c) * S + s, min(S - s, end - m), image);
}

// ---- eval mode: the running statistics ----

@compute @workgroup_size(64)
fn batchnorm_eval_stats(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = flat_index(gid, nwg, 64u);
  if (c >= params.channels) { return; }
  stats_out[2u * c] = running_mean[c];
  stats_out[2u * c + 1u] = 1.0 / sqrt(running_var[c] + params.eps);
}

// ---- train mode: the batch's statistics ----
// Each chunk gives its sum and its sum of squares about its own mean (two reads of the chunk,
// as a two-pass variance: no cancellation); the finish combines them exactly (Chan et al.):
// M2 = Σ_j M2_j + Σ_j n_j·(mean_j − mean)².

@compute @workgroup_size(64)
fn batchnorm_stats_partial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.channels * params.chunks) { return; }
  let c = t / params.chunks;
  let j = t % params.chunks;
  let start = j * params.chunk;
  let n = chunk_size(j);
  let end = start + n;
  var sum = 0.0;
  for (var m = start; m < end;) {
    let g = segment(c, m, end);
    for (var i = g.base; i < g.base + g.length; i++) { sum += x[i]; }
    m += g.length;
  }
  let mean = sum / f32(n);
  var squares = 0.0;
  for (var m = start; m < end;) {
    let g = segment(c, m, end);
    for (var i = g.base; i < g.base + g.length; i++) {
      let d = x[i] - mean;
      squares += d * d;
    }
    m += g.length;
  }
  partial[2u * t] = sum;
  partial[2u * t + 1u] = squares;
}

@compute @workgroup_size(64)
fn batchnorm_stats_finish(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = flat_index(gid, nwg, 64u);
  if (c >= params.channels) { return; }
  let count = f32(per_channel());
  var sum = 0.0;
  for (var j = 0u; j < params.chunks; j++) { sum += partial_in[2u * (c * params.chunks + j)]; }
  let mean = sum / count;
  var squares = 0.0;
  for (var j = 0u; j < params.chunks; j++) {
    let i = 2u * (c * params.chunks + j);
    let n = f32(chunk_size(j));
    let d = partial_in[i] / n - mean;
    squares += partial_in[i + 1u] + n * d * d;
  }
  let variance = squares / count;
  stats_out[2u * c] = mean;
  stats_out[2u * c + 1u] = 1.0 / sqrt(variance + params.eps);
  if (params.update == 1u) {
    // PyTorch: the running variance takes the unbiased estimate (÷ (n − 1)).
    let keep = 1.0 - params.momentum;
    running_mean[c] = keep * running_mean[c] + params.momentum * mean;
    running_var[c] = keep * running_var[c] + params.momentum * (squares / (count - 1.0));
  }
}

// ---- the affine map, both modes: one thread per value ----

@compute @workgroup_size(64)
fn batchnorm_forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.channels * params.spatial;
  if (t >= params.images * F) { return; }
  let c = (t % F) / params.spatial;
  let first = (t / F) % params.coeffs == 0u;
  let center = select(0.0, stats[2u * c], first);
  let shift = select(0.0, bias[c], first);
  y[t] = (x[t] - center) * (stats[2u * c + 1u] * weight[c]) + shift;
}

// Four values per thread when the features come in whole vec4s (F % 4 == 0): on SwiftShader the
// per-thread overhead dominates a one-value kernel (as relu's, shaders/relu.wgsl). Each lane
// finds its own channel, so BatchNorm1d (S = 1: four channels a vec4) takes it too.
@group(0) @binding(17) var<storage, read> x4: array<vec4f>;
@group(0) @binding(18) var<storage, read_write> y4: array<vec4f>;

// Per lane of vec4 t: (center, r·weight, shift) with center and shift 0 above order 0.
struct Lanes { center: vec4f, scale: vec4f, shift: vec4f }

fn lanes(t: u32) -> Lanes {
  let F = params.channels * params.spatial;
  let first = ((4u * t) / F) % params.coeffs == 0u;
  var l: Lanes;
  if (params.spatial % 4u == 0u) {
    // One channel for all four lanes (BatchNorm2d on maps of 4k positions: 28×28, 14×14, 26×26).
    let c = ((4u * t) % F) / params.spatial;
    l.center = vec4f(select(0.0, stats[2u * c], first));
    l.scale = vec4f(stats[2u * c + 1u] * weight[c]);
    l.shift = vec4f(select(0.0, bias[c], first));
    return l;
  }
  for (var i = 0u; i < 4u; i++) {
    let c = ((4u * t + i) % F) / params.spatial;
    l.center[i] = select(0.0, stats[2u * c], first);
    l.scale[i] = stats[2u * c + 1u] * weight[c];
    l.shift[i] = select(0.0, bias[c], first);
  }
  return l;
}

@compute @workgroup_size(64)
fn batchnorm_forward4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  if (4u * t >= params.images * params.channels * params.spatial) { return; }
  let l = lanes(t);
  y4[t] = (x4[t] - l.center) * l.scale + l.shift;
}

// ---- reverse mode ----
// With ȳ over every output coefficient: b̄ = Σ ȳ_0 and w̄ = r·Σ_k ȳ_k·(x_k − [k = 0]·m), summed
// over rows and positions. x̄ = weight·r·ȳ in eval mode; in train mode (order 0, n values per
// channel, whose m and r depend on x) x̄ = weight·r·(ȳ − b̄/n − (x − m)·r²·Σȳ·(x − m)/n).

@group(0) @binding(11) var<storage, read> ybar: array<f32>;
@group(0) @binding(12) var<storage, read_write> xbar: array<f32>;
@group(0) @binding(13) var<storage, read_write> wbar: array<f32>;
@group(0) @binding(14) var<storage, read_write> bbar: array<f32>;
// (Σȳ_0, Σȳ·(x − m)) per channel, for x̄.
@group(0) @binding(15) var<storage, read_write> sums_out: array<f32>;
@group(0) @binding(16) var<storage, read> sums: array<f32>;

@compute @workgroup_size(64)
fn batchnorm_vjp_partial(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  if (t >= params.channels * params.chunks) { return; }
  let c = t / params.chunks;
  let j = t % params.chunks;
  let start = j * params.chunk;
  let center = stats[2u * c];
  let end = start + chunk_size(j);
  var sum = 0.0;
  var moment = 0.0;
  for (var m = start; m < end;) {
    let g = segment(c, m, end);
    // Order 0 (the image's first coefficient) carries the bias and the centering.
    if (g.image % params.coeffs == 0u) {
      for (var i = g.base; i < g.base + g.length; i++) {
        sum += ybar[i];
        moment += ybar[i] * (x[i] - center);
      }
    } else {
      for (var i = g.base; i < g.base + g.length; i++) { moment += ybar[i] * x[i]; }
    }
    m += g.length;
  }
  partial[2u * t] = sum;
  partial[2u * t + 1u] = moment;
}

@compute @workgroup_size(64)
fn batchnorm_vjp_finish(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let c = flat_index(gid, nwg, 64u);
  if (c >= params.channels) { return; }
  var sum = 0.0;
  var moment = 0.0;
  for (var j = 0u; j < params.chunks; j++) {
    let i = 2u * (c * params.chunks + j);
    sum += partial_in[i];
    moment += partial_in[i + 1u];
  }
  bbar[c] += sum;
  wbar[c] += moment * stats[2u * c + 1u];
  sums_out[2u * c] = sum;
  sums_out[2u * c + 1u] = moment;
}

@compute @workgroup_size(64)
fn batchnorm_vjp_input(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.channels * params.spatial;
  if (t >= params.images * F) { return; }
  let c = (t % F) / params.spatial;
  let r = stats[2u * c + 1u];
  var g = ybar[t];
  if (params.train == 1u) {
    let n = f32(per_channel());
    g = g - sums[2u * c] / n - (x[t] - stats[2u * c]) * r * r * sums[2u * c + 1u] / n;
  }
  xbar[t] = (r * weight[c]) * g;
}

@group(0) @binding(19) var<storage, read> ybar4: array<vec4f>;
@group(0) @binding(20) var<storage, read_write> xbar4: array<vec4f>;

// x̄ four values per thread (F % 4 == 0), both modes.
@compute @workgroup_size(64)
fn batchnorm_vjp_input4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.channels * params.spatial;
  if (4u * t >= params.images * F) { return; }
  var g = ybar4[t];
  if (params.train == 1u) {
    let n = f32(per_channel());
    var mean: vec4f;
    var shift: vec4f;
    var slope: vec4f;
    for (var i = 0u; i < 4u; i++) {
      let c = ((4u * t + i) % F) / params.spatial;
      let r = stats[2u * c + 1u];
      mean[i] = stats[2u * c];
      shift[i] = sums[2u * c] / n;
      slope[i] = r * r * sums[2u * c + 1u] / n;
    }
    g = g - shift - (x4[t] - mean) * slope;
  }
  xbar4[t] = lanes(t).scale * g;
}
