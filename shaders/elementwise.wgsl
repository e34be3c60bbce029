// The template of every unary elementwise jet kernel (kernels/unary.ts renders it). An op
// supplies its `<op>_start` function (order 0 of its series from x_0, in shaders/<op>.wgsl) and
// its recurrence; the renderer writes ENTRY's body: for K <= 8 straight-line code in which each
// coefficient is a named vec4 value (on SwiftShader a private array indexed by a loop variable
// costs a gather per access), above that loops over private arrays sized for K's class.
// Each thread runs four adjacent features of one row side by side in vec4 registers: every
// coefficient then feeds four lanes. Lanes past the last feature repeat it and are not written.
// Forward kernels bind x -> y, reverse ones x, ȳ -> x̄; op uniforms (x^a's a) follow `features`.

struct Params { rows: u32, order: u32, features: u32, /* UNIFORMS */ }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> ybar: array<f32>;
@group(0) @binding(4) var<storage, read_write> xbar: array<f32>;

// Four features of one coefficient, starting at element b of a jet: loads read the lanes fs,
// stores skip lanes past the last feature F.
fn load_x4(b: u32, fs: vec4u) -> vec4f {
  return vec4f(x[b + fs.x], x[b + fs.y], x[b + fs.z], x[b + fs.w]);
}

fn load_ybar4(b: u32, fs: vec4u) -> vec4f {
  return vec4f(ybar[b + fs.x], ybar[b + fs.y], ybar[b + fs.z], ybar[b + fs.w]);
}

fn store_y4(b: u32, f0: u32, F: u32, v: vec4f) {
  for (var c = 0u; c < 4u; c++) {
    if (f0 + c < F) { y[b + f0 + c] = v[c]; }
  }
}

fn store_xbar4(b: u32, f0: u32, F: u32, v: vec4f) {
  for (var c = 0u; c < 4u; c++) {
    if (f0 + c < F) { xbar[b + f0 + c] = v[c]; }
  }
}

@compute @workgroup_size(64)
fn ENTRY(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let t = flat_index(gid, nwg, 64u);
  let F = params.features;
  let K = params.order;
  let groups = (F + 3u) / 4u;
  if (t >= params.rows * groups) { return; }
  let row = t / groups;
  let f0 = (t % groups) * 4u;
  let fs = vec4u(f0, min(f0 + 1u, F - 1u), min(f0 + 2u, F - 1u), min(f0 + 3u, F - 1u));
  // BODY
}
