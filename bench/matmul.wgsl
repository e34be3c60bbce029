// Plain matrix products C[M][N] = A[M][K]·B[K][N], the yardstick of the jet kernels' GFLOP/s.
// Variants (bench/matmul.ts runs them all and reports the best):
//   mm_scalar_4x4  each thread a 4×4 block of C in registers, scalar loads (the dense kernel's scheme)
//   mm_vec4_4x4    the same with vec4 loads: A along k, B along n (K and N multiples of 4)
//   mm_vec4_8x4    8 rows × 4 columns per thread: each B load feeds 8 rows
//   mm_vec4_4x8    4 rows × 8 columns per thread: each A load feeds 8 columns
//   mm_vec4_8x8    8 rows × 8 columns per thread (the dense kernel's widest block)
//   mm_tiled       64×64 tiles through workgroup memory, 16-wide k steps, 4×4 per thread
// Adjacent threads take adjacent column blocks of the same rows, so their A loads coincide.

struct Params { M: u32, K: u32, N: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<storage, read> a4: array<vec4f>;
@group(0) @binding(5) var<storage, read> b4: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> c4: array<vec4f>;

@compute @workgroup_size(64)
fn mm_scalar_4x4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let M = params.M; let K = params.K; let N = params.N;
  let nb = N / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= (M / 4u) * nb) { return; }
  let m0 = (t / nb) * 4u;
  let n0 = (t % nb) * 4u;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var k = 0u; k < K; k++) {
    let bk = k * N + n0;
    let bv = vec4f(b[bk], b[bk + 1u], b[bk + 2u], b[bk + 3u]);
    acc0 += a[m0 * K + k] * bv;
    acc1 += a[(m0 + 1u) * K + k] * bv;
    acc2 += a[(m0 + 2u) * K + k] * bv;
    acc3 += a[(m0 + 3u) * K + k] * bv;
  }
  let o = m0 * N + n0;
  c[o] = acc0.x; c[o + 1u] = acc0.y; c[o + 2u] = acc0.z; c[o + 3u] = acc0.w;
  c[o + N] = acc1.x; c[o + N + 1u] = acc1.y; c[o + N + 2u] = acc1.z; c[o + N + 3u] = acc1.w;
  c[o + 2u * N] = acc2.x; c[o + 2u * N + 1u] = acc2.y; c[o + 2u * N + 2u] = acc2.z; c[o + 2u * N + 3u] = acc2.w;
  c[o + 3u * N] = acc3.x; c[o + 3u * N + 1u] = acc3.y; c[o + 3u * N + 2u] = acc3.z; c[o + 3u * N + 3u] = acc3.w;
}

// acc += a (4 consecutive k of one row) · B rows k..k+3 (vec4 along n).
fn fma4(acc: vec4f, av: vec4f, b0: vec4f, b1: vec4f, b2: vec4f, b3: vec4f) -> vec4f {
  return acc + av.x * b0 + av.y * b1 + av.z * b2 + av.w * b3;
}

@compute @workgroup_size(64)
fn mm_vec4_4x4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K4 = params.K / 4u; let N4 = params.N / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= (params.M / 4u) * N4) { return; }
  let m0 = (t / N4) * 4u;
  let nb = t % N4;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var k4 = 0u; k4 < K4; k4++) {
    let bb = k4 * 4u * N4 + nb;
    let b0 = b4[bb]; let b1 = b4[bb + N4]; let b2 = b4[bb + 2u * N4]; let b3 = b4[bb + 3u * N4];
    acc0 = fma4(acc0, a4[m0 * K4 + k4], b0, b1, b2, b3);
    acc1 = fma4(acc1, a4[(m0 + 1u) * K4 + k4], b0, b1, b2, b3);
    acc2 = fma4(acc2, a4[(m0 + 2u) * K4 + k4], b0, b1, b2, b3);
    acc3 = fma4(acc3, a4[(m0 + 3u) * K4 + k4], b0, b1, b2, b3);
  }
  c4[m0 * N4 + nb] = acc0;
  c4[(m0 + 1u) * N4 + nb] = acc1;
  c4[(m0 + 2u) * N4 + nb] = acc2;
  c4[(m0 + 3u) * N4 + nb] = acc3;
}

@compute @workgroup_size(64)
fn mm_vec4_8x4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K4 = params.K / 4u; let N4 = params.N / 4u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= (params.M / 8u) * N4) { return; }
  let m0 = (t / N4) * 8u;
  let nb = t % N4;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  var acc4 = vec4f(0.0); var acc5 = vec4f(0.0); var acc6 = vec4f(0.0); var acc7 = vec4f(0.0);
  for (var k4 = 0u; k4 < K4; k4++) {
    let bb = k4 * 4u * N4 + nb;
    let b0 = b4[bb]; let b1 = b4[bb + N4]; let b2 = b4[bb + 2u * N4]; let b3 = b4[bb + 3u * N4];
    let ab = m0 * K4 + k4;
    acc0 = fma4(acc0, a4[ab], b0, b1, b2, b3);
    acc1 = fma4(acc1, a4[ab + K4], b0, b1, b2, b3);
    acc2 = fma4(acc2, a4[ab + 2u * K4], b0, b1, b2, b3);
    acc3 = fma4(acc3, a4[ab + 3u * K4], b0, b1, b2, b3);
    acc4 = fma4(acc4, a4[ab + 4u * K4], b0, b1, b2, b3);
    acc5 = fma4(acc5, a4[ab + 5u * K4], b0, b1, b2, b3);
    acc6 = fma4(acc6, a4[ab + 6u * K4], b0, b1, b2, b3);
    acc7 = fma4(acc7, a4[ab + 7u * K4], b0, b1, b2, b3);
  }
  let o = m0 * N4 + nb;
  c4[o] = acc0; c4[o + N4] = acc1; c4[o + 2u * N4] = acc2; c4[o + 3u * N4] = acc3;
  c4[o + 4u * N4] = acc4; c4[o + 5u * N4] = acc5; c4[o + 6u * N4] = acc6; c4[o + 7u * N4] = acc7;
}

@compute @workgroup_size(64)
fn mm_vec4_4x8(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K4 = params.K / 4u; let N4 = params.N / 4u; let N8 = params.N / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= (params.M / 4u) * N8) { return; }
  let m0 = (t / N8) * 4u;
  let nb = (t % N8) * 2u;
  var p0 = vec4f(0.0); var p1 = vec4f(0.0); var p2 = vec4f(0.0); var p3 = vec4f(0.0);
  var q0 = vec4f(0.0); var q1 = vec4f(0.0); var q2 = vec4f(0.0); var q3 = vec4f(0.0);
  for (var k4 = 0u; k4 < K4; k4++) {
    let bb = k4 * 4u * N4 + nb;
    let b0 = b4[bb]; let b1 = b4[bb + N4]; let b2 = b4[bb + 2u * N4]; let b3 = b4[bb + 3u * N4];
    let e0 = b4[bb + 1u]; let e1 = b4[bb + N4 + 1u]; let e2 = b4[bb + 2u * N4 + 1u]; let e3 = b4[bb + 3u * N4 + 1u];
    let a0 = a4[m0 * K4 + k4]; let a1 = a4[(m0 + 1u) * K4 + k4];
    let a2 = a4[(m0 + 2u) * K4 + k4]; let a3 = a4[(m0 + 3u) * K4 + k4];
    p0 = fma4(p0, a0, b0, b1, b2, b3); q0 = fma4(q0, a0, e0, e1, e2, e3);
    p1 = fma4(p1, a1, b0, b1, b2, b3); q1 = fma4(q1, a1, e0, e1, e2, e3);
    p2 = fma4(p2, a2, b0, b1, b2, b3); q2 = fma4(q2, a2, e0, e1, e2, e3);
    p3 = fma4(p3, a3, b0, b1, b2, b3); q3 = fma4(q3, a3, e0, e1, e2, e3);
  }
  let o = m0 * N4 + nb;
  c4[o] = p0; c4[o + 1u] = q0;
  c4[o + N4] = p1; c4[o + N4 + 1u] = q1;
  c4[o + 2u * N4] = p2; c4[o + 2u * N4 + 1u] = q2;
  c4[o + 3u * N4] = p3; c4[o + 3u * N4 + 1u] = q3;
}

@compute @workgroup_size(64)
fn mm_vec4_8x8(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let K4 = params.K / 4u; let N4 = params.N / 4u; let N8 = params.N / 8u;
  let t = flat_index(gid, nwg, 64u);
  if (t >= (params.M / 8u) * N8) { return; }
  let m0 = (t / N8) * 8u;
  let nb = (t % N8) * 2u;
  var p0 = vec4f(0.0); var p1 = vec4f(0.0); var p2 = vec4f(0.0); var p3 = vec4f(0.0);
  var p4 = vec4f(0.0); var p5 = vec4f(0.0); var p6 = vec4f(0.0); var p7 = vec4f(0.0);
  var q0 = vec4f(0.0); var q1 = vec4f(0.0); var q2 = vec4f(0.0); var q3 = vec4f(0.0);
  var q4 = vec4f(0.0); var q5 = vec4f(0.0); var q6 = vec4f(0.0); var q7 = vec4f(0.0);
  for (var k4 = 0u; k4 < K4; k4++) {
    let bb = k4 * 4u * N4 + nb;
    let b0 = b4[bb]; let b1 = b4[bb + N4]; let b2 = b4[bb + 2u * N4]; let b3 = b4[bb + 3u * N4];
    let e0 = b4[bb + 1u]; let e1 = b4[bb + N4 + 1u]; let e2 = b4[bb + 2u * N4 + 1u]; let e3 = b4[bb + 3u * N4 + 1u];
    let ab = m0 * K4 + k4;
    let a0 = a4[ab]; p0 = fma4(p0, a0, b0, b1, b2, b3); q0 = fma4(q0, a0, e0, e1, e2, e3);
    let a1 = a4[ab + K4]; p1 = fma4(p1, a1, b0, b1, b2, b3); q1 = fma4(q1, a1, e0, e1, e2, e3);
    let a2 = a4[ab + 2u * K4]; p2 = fma4(p2, a2, b0, b1, b2, b3); q2 = fma4(q2, a2, e0, e1, e2, e3);
    let a3 = a4[ab + 3u * K4]; p3 = fma4(p3, a3, b0, b1, b2, b3); q3 = fma4(q3, a3, e0, e1, e2, e3);
    let a4_ = a4[ab + 4u * K4]; p4 = fma4(p4, a4_, b0, b1, b2, b3); q4 = fma4(q4, a4_, e0, e1, e2, e3);
    let a5 = a4[ab + 5u * K4]; p5 = fma4(p5, a5, b0, b1, b2, b3); q5 = fma4(q5, a5, e0, e1, e2, e3);
    let a6 = a4[ab + 6u * K4]; p6 = fma4(p6, a6, b0, b1, b2, b3); q6 = fma4(q6, a6, e0, e1, e2, e3);
    let a7 = a4[ab + 7u * K4]; p7 = fma4(p7, a7, b0, b1, b2, b3); q7 = fma4(q7, a7, e0, e1, e2, e3);
  }
  let o = m0 * N4 + nb;
  c4[o] = p0; c4[o + 1u] = q0; c4[o + N4] = p1; c4[o + N4 + 1u] = q1;
  c4[o + 2u * N4] = p2; c4[o + 2u * N4 + 1u] = q2; c4[o + 3u * N4] = p3; c4[o + 3u * N4 + 1u] = q3;
  c4[o + 4u * N4] = p4; c4[o + 4u * N4 + 1u] = q4; c4[o + 5u * N4] = p5; c4[o + 5u * N4 + 1u] = q5;
  c4[o + 6u * N4] = p6; c4[o + 6u * N4 + 1u] = q6; c4[o + 7u * N4] = p7; c4[o + 7u * N4 + 1u] = q7;
}

var<workgroup> tile_a: array<f32, 1024>; // 64 rows × 16 k
var<workgroup> tile_b: array<f32, 1024>; // 16 k × 64 columns

// One workgroup per 64×64 tile of C (M, N multiples of 64, K of 16); thread (ty, tx) of 16×16
// owns rows ty·4.. and columns tx·4...
@compute @workgroup_size(256)
fn mm_tiled(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
            @builtin(local_invocation_index) li: u32) {
  let K = params.K; let N = params.N;
  let tiles_n = N / 64u;
  let tile = wid.x + wid.y * nwg.x;
  let tm = (tile / tiles_n) * 64u;
  let tn = (tile % tiles_n) * 64u;
  let live = tile < (params.M / 64u) * tiles_n;
  let ty = li / 16u;
  let tx = li % 16u;
  var acc0 = vec4f(0.0); var acc1 = vec4f(0.0); var acc2 = vec4f(0.0); var acc3 = vec4f(0.0);
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    // 256 threads load 1024 values of each tile, 4 each.
    for (var j = 0u; j < 4u; j++) {
      let e = li * 4u + j;
      if (live) {
        tile_a[e] = a[(tm + e / 16u) * K + k0 + e % 16u];
        tile_b[e] = b[(k0 + e / 64u) * N + tn + e % 64u];
      }
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      let bv = vec4f(tile_b[k * 64u + tx * 4u], tile_b[k * 64u + tx * 4u + 1u], tile_b[k * 64u + tx * 4u + 2u], tile_b[k * 64u + tx * 4u + 3u]);
      acc0 += tile_a[(ty * 4u) * 16u + k] * bv;
      acc1 += tile_a[(ty * 4u + 1u) * 16u + k] * bv;
      acc2 += tile_a[(ty * 4u + 2u) * 16u + k] * bv;
      acc3 += tile_a[(ty * 4u + 3u) * 16u + k] * bv;
    }
    workgroupBarrier();
  }
  if (!live) { return; }
  let o = (tm + ty * 4u) * N + tn + tx * 4u;
  c[o] = acc0.x; c[o + 1u] = acc0.y; c[o + 2u] = acc0.z; c[o + 3u] = acc0.w;
  c[o + N] = acc1.x; c[o + N + 1u] = acc1.y; c[o + N + 2u] = acc1.z; c[o + N + 3u] = acc1.w;
  c[o + 2u * N] = acc2.x; c[o + 2u * N + 1u] = acc2.y; c[o + 2u * N + 2u] = acc2.z; c[o + 2u * N + 3u] = acc2.w;
  c[o + 3u * N] = acc3.x; c[o + 3u * N + 1u] = acc3.y; c[o + 3u * N + 2u] = acc3.z; c[o + 3u * N + 3u] = acc3.w;
}
