// Theorem 4.1's checker on spectra whose answers are worked out by hand: r equal eigenvalues λ
// (K = r(r−1)λ², where the printed chain's end fails and the proof's bound is an equality), and
// the scale dependence of the printed middle term.
import { describe, expect, it } from 'vitest';
import { checkTheorem41, theoremTable } from '../src/curvature/interpolation-bound.js';

const byId = (eigenvalues: number[], rank: number) => Object.fromEntries(checkTheorem41({ eigenvalues, rank }).checks.map((c) => [c.id, c]));

describe('Theorem 4.1 checker', () => {
  it('r equal eigenvalues λ: K = r(r−1)λ²; P4 fails by (r−1)²λ², Q2 and C1 are equalities', () => {
    const r = 4;
    const lambda = 3;
    const c = byId([lambda, lambda, lambda, lambda, 0, 0], r);
    expect(c.P1!.rhs).toBe(r * (r - 1) * lambda ** 2); // K = 108
    expect(c.P4!.holds).toBe(false);
    expect(c.P4!.margin).toBe(-((r - 1) ** 2) * lambda ** 2);
    expect(c.Q2!.holds && c.C1!.holds && c.C2!.holds && c.Q1!.holds).toBe(true);
    expect(c.Q2!.margin).toBe(0);
    expect(c.C1!.margin).toBe(0);
  });

  it('the printed middle term is not scale invariant: the same spectrum ×0.1 satisfies P2, ×10 does not', () => {
    // K = 12λ², (r−1)·tr(H) = 12λ for four eigenvalues λ: P2 ⇔ λ ≤ 1.
    expect(byId([0.3, 0.3, 0.3, 0.3], 4).P2!.holds).toBe(true);
    expect(byId([30, 30, 30, 30], 4).P2!.holds).toBe(false);
    // P3: tr(H) ≤ λ_max² ⇔ 4λ ≤ λ² ⇔ λ ≥ 4.
    expect(byId([0.3, 0.3, 0.3, 0.3], 4).P3!.holds).toBe(false);
    expect(byId([30, 30, 30, 30], 4).P3!.holds).toBe(true);
  });

  it('the scale window of the printed P2 and P3: c ≤ (r−1)tr(H)/K and c ≥ tr(H)/λ_max²', () => {
    // Four eigenvalues 2: K = 48, tr = 8, λ_max = 2: P2 up to c = 3·8/48 = 0.5, P3 from c = 8/4 = 2.
    const t = checkTheorem41({ eigenvalues: [2, 2, 2, 2], rank: 4 });
    expect(t.printedScaleWindow).toEqual({ p3From: 2, p2Upto: 0.5 });
    // Scaling the spectrum by c = 0.5 sits on P2's edge (holds), c = 2 on P3's (holds).
    expect(byId([1, 1, 1, 1], 4).P2!.margin).toBe(0);
    expect(byId([4, 4, 4, 4], 4).P3!.margin).toBe(0);
  });

  it('Q1 fails when H has more non-zero eigenvalues than r (away from interpolation), and the count shows it', () => {
    const t = checkTheorem41({ eigenvalues: [1, 1, 1, 1], rank: 2 });
    expect(t.hessianRank).toBe(4);
    expect(t.checks.find((c) => c.id === 'Q1')!.holds).toBe(false);
  });

  it('renders a Markdown table', () => {
    const table = theoremTable(checkTheorem41({ eigenvalues: [2, 1, 0], rank: 2 }));
    expect(table.split('\n')[2]).toMatch(/^\| P1 \| printed \| 0 ≤ K \|/);
    expect(table).toContain('| Q2 | proof | K ≤ (r−1)·tr(H²) |');
  });
});
