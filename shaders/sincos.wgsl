// sin and cos of a jet, computed together: s = sin(x), c = cos(x) satisfy s' = c·x', c' = -s·x',
// so k·s_k = Σ_{j=1..k} j·x_j·c_{k-j} and k·c_k = -Σ_{j=1..k} j·x_j·s_{k-j} (kernels/sincos.ts
// renders it into shaders/elementwise.wgsl). s_0 and c_0 come from accurate_sincos
// (math.wgsl): the builtins are only good to ~2e-4 on some adapters.
// Reverse mode: perturbing x by δ perturbs sin(x) by cos(x)·δ and cos(x) by −sin(x)·δ, Cauchy
// products with the other series: x̄_j = Σ_{k=j..K} ȳ_k·c_{k-j} for sin and −Σ_{k=j..K} ȳ_k·s_{k-j}
// for cos (the correlation, as in mul_vjp).

fn sincos_start(x0: vec4f) -> array<vec4f, 2> {
  var s: vec4f;
  var c: vec4f;
  for (var lane = 0u; lane < 4u; lane++) {
    let sc = accurate_sincos(x0[lane]);
    s[lane] = sc.x;
    c[lane] = sc.y;
  }
  return array<vec4f, 2>(s, c);
}
