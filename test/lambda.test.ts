// The λ estimators on float64 series of functions with known answers (no GPU): the taylor
// radius on functions outside the analytic suite (real and complex singularities, branch
// points, entire functions), the raw slope, the band-limited cutoff, the direction rules.
import { describe, expect, it } from 'vitest';
import { JetcurveError } from '../src/errors.js';
import { bandLimitedLogNorms, bandLimitedSignal, estimateCutoff } from '../src/lambda/bandlimited.js';
import { directionRule, gaussHermite } from '../src/lambda/directions.js';
import { parseDataSet } from '../src/data/file.js';
import { svgPlot } from '../src/plot/svg.js';
import { checkOrderRange, logRawDerivatives, parseOrderRange, rawLambda } from '../src/lambda/raw.js';
import { logRms, spread } from '../src/lambda/stats.js';
import { estimateRadius } from '../src/lambda/taylor.js';
import { Random } from '../src/util/random.js';
import * as S from './lambda-series.js';

const K = 60;
const x = (x0: number) => S.variable(x0, K);
const one = S.constant(1, K);
const inv = (a: S.Series) => S.div(one, a);

/** [name, true R, series]: none of them is in the analytic suite. */
const finite: [string, number, S.Series][] = [
  ['1/(1−2x) at 0.1', 0.4, inv(S.addConst(S.scale(x(0.1), -2), 1))],
  ['1/(1+x²) at 0.5 (poles ±i)', Math.hypot(0.5, 1), S.conjugatePoles(0.5, K, [[0, 1]])],
  ['1/(1+x²) at 0', 1, S.conjugatePoles(0, K, [[0, 1]])],
  ['1/(1+x²)² at 0.5 (double poles)', Math.hypot(0.5, 1), S.pow(S.conjugatePoles(0.5, K, [[0, 1]]), 2)],
  ['1/(1+x²)² at 0', 1, S.pow(S.conjugatePoles(0, K, [[0, 1]]), 2)],
  ['tanh at 0.3 (poles ±iπ/2)', Math.hypot(0.3, Math.PI / 2), S.tanh(x(0.3))],
  ['tanh at 0', Math.PI / 2, S.tanh(x(0))],
  ['tanh at 2', Math.hypot(2, Math.PI / 2), S.tanh(x(2))],
  ['log(1+x) at 0', 1, S.log(S.addConst(x(0), 1))],
  ['log(1+x) at 0.5', 1.5, S.log(S.addConst(x(0.5), 1))],
  ['√(1+x) at 0', 1, S.pow(S.addConst(x(0), 1), 0.5)],
  ['atan at 0.5 (branch points ±i)', Math.hypot(0.5, 1), S.atan(x(0.5))],
  ['atan at 2', Math.hypot(2, 1), S.atan(x(2))],
  ['1/(1−x)³ at 0', 1, S.pow(S.addConst(S.scale(x(0), -1), 1), -3)],
  ['poles 0.3±0.8i, −1±0.2i at 0', Math.hypot(0.3, 0.8), S.conjugatePoles(0, K, [[0.3, 0.8], [-1, 0.2]])],
  ['poles 0.3±0.8i, −0.7±0.6i at 0', Math.hypot(0.3, 0.8), S.conjugatePoles(0, K, [[0.3, 0.8], [-0.7, 0.6]])],
  ['poles (0.5±2i)², 1.9±0.3i at 0.2', Math.hypot(1.7, 0.3), S.conjugatePoles(0.2, K, [[0.5, 2], [0.5, 2], [1.9, 0.3]])],
  ['poles 1±i, −1±1.2i, 0.2±1.5i at 0', Math.SQRT2, S.conjugatePoles(0, K, [[1, 1], [-1, 1.2], [0.2, 1.5]])],
  ['poles 1±0.1i at 0 (nearly real)', Math.hypot(1, 0.1), S.conjugatePoles(0, K, [[1, 0.1]])],
  ['1/(x²+x+1) at 0', 1, inv(S.addConst(S.add(S.mul(x(0), x(0)), x(0)), 1))],
  ['1/(1+x⁴) at 0', 1, inv(S.addConst(S.mul(S.mul(x(0), x(0)), S.mul(x(0), x(0))), 1))],
  ['1/(1−x³) at 0.2', 0.8, inv(S.addConst(S.scale(S.mul(x(0.2), S.mul(x(0.2), x(0.2))), -1), 1))],
  ['sec at 0.3', Math.PI / 2 - 0.3, inv(S.sinCos(x(0.3))[1])],
  ['1/(2+cos) at 0', Math.hypot(Math.PI, Math.acosh(2)), inv(S.addConst(S.sinCos(x(0))[1], 2))],
  ['1/(2+cos) at 1', Math.hypot(Math.PI - 1, Math.acosh(2)), inv(S.addConst(S.sinCos(x(1))[1], 2))],
  ['eˣ/(1−x) at 0', 1, S.div(S.exp(x(0)), S.addConst(S.scale(x(0), -1), 1))],
  ['sin x/(1+x²) at 0.5', Math.hypot(0.5, 1), S.div(S.sinCos(x(0.5))[0], S.addConst(S.mul(x(0.5), x(0.5)), 1))],
];

const entire: [string, S.Series][] = [
  ['exp at 0', S.exp(x(0))],
  ['exp(30x) at 0 (coefficients still growing at n = 30)', S.exp(S.scale(x(0), 30))],
  ['sin at 0.3', S.sinCos(x(0.3))[0]],
  ['sin at 0 (odd)', S.sinCos(x(0))[0]],
  ['exp(−x²/2) at 1', S.exp(S.scale(S.mul(x(1), x(1)), -0.5))],
  ['exp(x⁴) at 0.5 (order 4)', S.exp(S.mul(S.mul(x(0.5), x(0.5)), S.mul(x(0.5), x(0.5))))],
];

/** f32-like round-off: each coefficient times (1 + ε·u), u uniform in [−1, 1]. */
function perturb(c: S.Series, eps: number, seed: number): S.Series {
  const r = new Random(seed);
  return c.map((v) => v * (1 + eps * r.between(-1, 1)));
}

describe('taylor: radius of convergence', () => {
  it.each(finite)('%s: R within 1% at order 60 (exact and with 1e-6 round-off)', (_name, R, c) => {
    for (const series of [c, perturb(c, 1e-6, 3)]) {
      const e = estimateRadius(series);
      expect(e.convention).toBe('taylor');
      expect(Math.abs(e.radius / R - 1)).toBeLessThan(0.01);
      expect(e.lambda).toBeCloseTo(-Math.log(e.radius), 12);
    }
  });

  it.each(entire)('%s: reported as entire, R = ∞', (_name, c) => {
    const e = estimateRadius(c);
    expect(e.method).toBe('entire');
    expect(e.radius).toBe(Infinity);
    expect(e.lambda).toBe(-Infinity);
  });

  it('reads sparse series in x^s and reports the algebraic exponent κ', () => {
    const e = estimateRadius(inv(S.addConst(S.scale(S.mul(x(0), S.mul(x(0), x(0))), -1), 1)));
    expect(e.stride).toBe(3);
    expect(e.radius).toBeCloseTo(1, 10);
    expect(estimateRadius(S.log(S.addConst(x(0), 1))).kappa).toBeCloseTo(-1, 3);
    expect(estimateRadius(S.pow(S.addConst(S.scale(x(0), -1), 1), -3)).kappa).toBeCloseTo(2, 0);
  });

  it('beats the root test |c_K|^(−1/K), whose prefactor bias is several % at K = 60', () => {
    const c = S.pow(S.addConst(S.scale(x(0), -1), 1), -3); // cₙ = (n+1)(n+2)/2
    const root = Math.abs(c[K]!) ** (-1 / K);
    expect(Math.abs(root - 1)).toBeGreaterThan(0.05);
    expect(Math.abs(estimateRadius(c).radius - 1)).toBeLessThan(0.002);
  });

  it('flags a window that has not converged through the tail change', () => {
    expect(Math.abs(estimateRadius(S.tanh(x(0.3))).tailChange)).toBeLessThan(1e-6);
    // An essential singularity (exp(1/(1−x))) is outside the model: the tail moves.
    expect(Math.abs(estimateRadius(S.exp(inv(S.addConst(S.scale(x(0), -1), 1)))).tailChange)).toBeGreaterThan(1e-3);
  });

  it('throws a clear error for coefficients that vanish (a polynomial) or overflow', () => {
    const poly = S.mul(x(0.5), x(0.5));
    expect(() => estimateRadius(poly)).toThrow(JetcurveError);
    expect(() => estimateRadius(poly)).toThrow(/vanish/);
    const bad = S.tanh(x(0.3));
    bad[40] = Infinity;
    expect(() => estimateRadius(bad)).toThrow(/c40 is Infinity/);
    expect(() => estimateRadius(new Float64Array(3))).toThrow(/order ≥ 4/);
  });
});

describe('raw: slope of log‖Dⁿf‖', () => {
  it('gives log 2 for 1/(1−2x) only after removing n! (raw derivatives grow like n!·2ⁿ)', () => {
    const logs = logRawDerivatives(inv(S.addConst(S.scale(x(0), -2), 1)));
    const fit = rawLambda(logs, { from: 1, to: 4 }, 'fit');
    // log(n!·2ⁿ) over 1..4: slope of log n! (≈ 1.06) + log 2.
    expect(fit.lambda).toBeCloseTo(fitSlope([1, 2, 3, 4], [1, 2, 6, 24].map(Math.log)) + Math.log(2), 10);
  });

  it('fit and endpoint agree on exact exponentials; endpoint = mean log ratio (flatgrad)', () => {
    const logs = Array.from({ length: 6 }, (_, n) => 0.3 + 1.7 * n);
    for (const method of ['fit', 'endpoint'] as const) {
      const e = rawLambda(logs, { from: 1, to: 4 }, method);
      expect(e.lambda).toBeCloseTo(1.7, 12);
      expect(e.r2).toBeCloseTo(1, 12);
    }
    const bent = [0, 1, 3, 4, 8];
    const meanLogRatio = ((bent[2]! - bent[1]!) + (bent[3]! - bent[2]!) + (bent[4]! - bent[3]!)) / 3;
    expect(rawLambda(bent, { from: 1, to: 4 }, 'endpoint').lambda).toBeCloseTo(meanLogRatio, 12);
    expect(rawLambda(bent, { from: 1, to: 4 }, 'fit').lambda).toBeCloseTo(fitSlope([1, 2, 3, 4], [1, 3, 4, 8]), 12);
    expect(rawLambda(bent, { from: 2, to: 4 }, 'fit').lambda).toBeCloseTo(2.5, 12);
  });

  it('sin x: λ = 0 from the RMS over a period', () => {
    const logs = Array.from({ length: 8 }, (_, i) => logRawDerivatives(S.sinCos(x((2 * Math.PI * i) / 8))[0]));
    const norms = Array.from({ length: K + 1 }, (_, n) => logRms(logs.map((l) => l[n]!)));
    expect(Math.abs(rawLambda(norms, { from: 1, to: K }).lambda)).toBeLessThan(1e-12);
  });

  it('rejects order ranges outside 1..60 and vanishing norms', () => {
    expect(parseOrderRange('2-4')).toEqual({ from: 2, to: 4 });
    expect(parseOrderRange('1..4')).toEqual({ from: 1, to: 4 });
    expect(() => parseOrderRange('0-4')).toThrow(/outside 1\.\.60/);
    expect(() => parseOrderRange('1-61')).toThrow(/outside 1\.\.60/);
    expect(() => parseOrderRange('4-4')).toThrow(/fewer than two/);
    expect(() => parseOrderRange('four')).toThrow(JetcurveError);
    expect(() => checkOrderRange({ from: 1.5, to: 3 })).toThrow(/outside/);
    expect(() => rawLambda([0, 1, -Infinity, 2, 3], { from: 1, to: 4 })).toThrow(/D\^2 f‖ vanishes/);
  });
});

describe('band-limited signal (Ω = 450)', () => {
  const signal = bandLimitedSignal(450, 450, 1);
  const logs = bandLimitedLogNorms(signal, K);

  it('has the L² norms of Parseval, ½·Σ aⱼ²·ωⱼ^{2n}, in log space at n = 60 (~1e159)', () => {
    for (const n of [0, 1, 30, 60]) {
      const terms = Array.from(signal.frequencies, (w, j) => 2 * (Math.log(signal.amplitudes[j]!) + n * Math.log(w)));
      const max = Math.max(...terms);
      const parseval = 0.5 * (max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0) / 2));
      expect(logs[n]!).toBeCloseTo(parseval, 8);
    }
    expect(logs[60]! / Math.LN10).toBeGreaterThan(150);
  });

  it('recovers Ω within 1% with the finite-band correction, and not without it', () => {
    const e = estimateCutoff(logs, 1, K);
    expect(Math.abs(e.corrected / 450 - 1)).toBeLessThan(0.01);
    expect(e.plain / 450 - 1).toBeLessThan(-0.015);
  });
});

describe('directions and norms', () => {
  it('Gauss–Hermite rules integrate polynomials exactly', () => {
    const { nodes, weights } = gaussHermite(5);
    const moment = (k: number) => nodes.reduce((s, v, i) => s + weights[i]! * v ** k, 0);
    expect(moment(0)).toBeCloseTo(1, 12);
    expect(moment(2)).toBeCloseTo(1, 12);
    expect(moment(4)).toBeCloseTo(3, 11);
    expect(moment(8)).toBeCloseTo(105, 9);
  });

  it('the sphere rule gives E_v[(vᵀHv)²] = (2 tr H² + (tr H)²)/(d(d+2)) exactly (d = 2, 3)', () => {
    for (const d of [2, 3]) {
      const r = new Random(d);
      const a = Array.from({ length: d }, () => Array.from(r.normals(d)));
      const h = a.map((row, i) => row.map((_, j) => (a[i]![j]! + a[j]![i]!) / 2));
      const rule = directionRule({ kind: 'sphere' }, 1, d, 4);
      let got = 0;
      for (let i = 0; i < rule.count; i++) {
        const v = rule.directions.subarray(i * d, (i + 1) * d);
        const q = h.reduce((s, row, k) => s + row.reduce((t, hkl, l) => t + hkl * v[k]! * v[l]!, 0), 0);
        got += rule.weight(i, 2) * q * q;
      }
      const trH = h.reduce((s, row, i) => s + row[i]!, 0);
      const trH2 = h.reduce((s, row) => s + row.reduce((t, v) => t + v * v, 0), 0);
      expect(got).toBeCloseTo((2 * trH2 + trH * trH) / (d * (d + 2)), 10);
    }
  });

  it('random directions are unit vectors, reproducible from the seed', () => {
    const a = directionRule({ kind: 'random', count: 4, seed: 5 }, 3, 7, 4);
    const b = directionRule({ kind: 'random', count: 4, seed: 5 }, 3, 7, 4);
    expect(Array.from(a.directions)).toEqual(Array.from(b.directions));
    for (let i = 0; i < 12; i++) expect(Math.hypot(...a.directions.subarray(i * 7, (i + 1) * 7))).toBeCloseTo(1, 12);
    expect(() => directionRule({ kind: 'random', count: 0, seed: 1 }, 1, 2, 4)).toThrow(/directions 0/);
    expect(() => directionRule({ kind: 'sphere' }, 1, 784, 4)).toThrow(/random directions/);
  });

  it('spread: mean, std, central 95% and the CI of the mean', () => {
    const s = spread([1, 2, 3, 4, 5]);
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(s.interval95[0]).toBeCloseTo(1.1, 12);
    expect(s.interval95[1]).toBeCloseTo(4.9, 12);
  });
});

describe('data files', () => {
  const good = { format: 'jetcurve-data/1', inputShape: [2], inputs: [[0, 1], [2, 3]], labels: [0, 1] };
  it('parses flat or nested inputs', () => {
    const d = parseDataSet(good);
    expect(Array.from(d.inputs)).toEqual([0, 1, 2, 3]);
    expect(Array.from(d.labels!)).toEqual([0, 1]);
    expect(parseDataSet({ ...good, inputShape: [1, 2], inputs: [[[0, 1]], [[2, 3]]] }).count).toBe(2);
  });
  it('names the problem', () => {
    expect(() => parseDataSet({ ...good, format: 'x' })).toThrow(/format/);
    expect(() => parseDataSet({ ...good, inputs: [[0, 1], [2]] })).toThrow(/inputs\[1\] holds 1 numbers/);
    expect(() => parseDataSet({ ...good, labels: [0] })).toThrow(/1 labels for 2 inputs/);
    expect(() => parseDataSet({ ...good, labels: [0, -1] })).toThrow(/labels\[1\]/);
    expect(() => parseDataSet({ ...good, extra: 1 })).toThrow(/unknown field "extra"/);
    expect(() => parseDataSet('{"format":')).toThrow(/not valid JSON/);
  });
});

describe('svg plot', () => {
  it('is a self-contained SVG with axes, labels, the data and the line', () => {
    const svg = svgPlot({
      title: 'growth', xLabel: 'order n', yLabel: 'log|cₙ|',
      series: [
        { label: 'data', kind: 'markers', color: 'blue', points: [[1, 0], [2, 1], [3, -Infinity], [4, 3]] },
        { label: 'fit', kind: 'line', color: 'red', points: [[1, 0], [4, 3]] },
      ],
      shade: { from: 2, to: 4, label: 'fit window' },
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<circle/g)!.length).toBe(3 + 1); // three finite markers, one legend marker
    expect(svg).toContain('order n');
    expect(svg).toContain('fit window');
    expect(svg).not.toContain('NaN');
  });
});

function fitSlope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
}
