// A report as data: headings, paragraphs, tables, figures, lists. report-md.ts and
// report-html.ts render the same blocks, so the Markdown and the HTML page never disagree.
import type { PaperValue } from './paper.js';
import { paperText } from './paper.js';
import type { Summary } from './stats.js';

export type Block =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[]; readonly caption?: string }
  /** `name` is the file stem the Markdown links to (figures/<name>.svg); the HTML inlines `svg`. */
  | { readonly kind: 'figure'; readonly name: string; readonly svg: string; readonly caption: string };

export interface Report {
  readonly title: string;
  readonly experiment: string;
  /** One line: complete, or partial and what is missing. */
  readonly status: string;
  readonly blocks: readonly Block[];
}

export const heading = (text: string): Block => ({ kind: 'heading', text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const list = (items: readonly string[]): Block => ({ kind: 'list', items });
export const table = (header: readonly string[], rows: readonly (readonly string[])[], caption?: string): Block =>
  ({ kind: 'table', header, rows, ...(caption ? { caption } : {}) });
export const figure = (name: string, svg: string, caption: string): Block => ({ kind: 'figure', name, svg, caption });

/** A number for a table: fixed digits, "n/a" for missing. */
export function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(digits);
}

/** "1.234 ± 0.056 (n = 5)"; the ± is the standard deviation over seeds. */
export function fmtSummary(s: Summary, digits = 3, scale = 1): string {
  if (s.n === 0) return 'n/a (no runs yet)';
  return `${(s.mean * scale).toFixed(digits)} ± ${(s.std * scale).toFixed(digits)} (n = ${s.n})`;
}

/**
 * One row of a paper-vs-ours table: quantity, paper, ours, and a verdict that says whether the
 * paper's number (or range) lies inside our 95% CI of the mean, or by how much it differs.
 */
export function comparisonRow(p: PaperValue, ours: Summary | number | null, digits = 3, scale = 1): string[] {
  const paper = paperText(p);
  if (ours === null || (typeof ours !== 'number' && ours.n === 0)) return [p.label, paper, 'not measured yet', '', p.source];
  const mean = typeof ours === 'number' ? ours * scale : ours.mean * scale;
  const ourText = typeof ours === 'number' ? fmt(mean, digits) : fmtSummary(ours, digits, scale);
  const target = p.value ?? (p.range ? (p.range[0] + p.range[1]) / 2 : null);
  if (target === null) return [p.label, paper, ourText, 'no paper number to compare', p.source];
  // With two values the t interval (±12.7 standard errors) would "agree" with almost anything.
  const ci = typeof ours === 'number' || ours.n < 3 ? null : [ours.ci95[0] * scale, ours.ci95[1] * scale];
  const diff = mean - target;
  const inside = (x: number) => ci !== null && x >= ci[0]! && x <= ci[1]!;
  const inRange = p.range !== undefined && mean >= p.range[0] && mean <= p.range[1];
  const inPaperCI = p.ci95 !== undefined && mean >= p.ci95[0] && mean <= p.ci95[1];
  const inOurs = p.range ? inside(p.range[0]) || inside(p.range[1]) : inside(target);
  // The paper's ± is its own seed-to-seed spread: a mean inside it could be one of its runs.
  const inPaperSpread = p.value !== null && p.std !== undefined && Math.abs(diff) <= p.std;
  const relPercent = target !== 0 ? 100 * diff / Math.abs(target) : 0;
  const rel = target !== 0 ? ` (${diff >= 0 ? '+' : ''}${relPercent.toFixed(Math.abs(relPercent) < 1 ? 1 : 0)}%)` : '';
  const by = `${diff >= 0 ? '+' : ''}${diff.toFixed(digits)}`;
  const verdict = inOurs ? `agrees (the paper's ${p.range ? 'range reaches' : 'value is inside'} our 95% CI)`
    : inRange ? 'agrees (our mean is inside the paper\'s range)'
      : inPaperCI ? `agrees (our mean is inside the paper's 95% CI; differs by ${by})`
        : inPaperSpread ? `agrees (our mean is within the paper's ± std over its seeds; differs by ${by})`
          : `differs by ${by}${rel}`;
  return [p.label, paper, ourText, verdict, p.source];
}

/** A paper row that has no number to compare: what we did instead, and why. */
export function noteRow(p: PaperValue, ours: string, note: string): string[] {
  return [p.label, paperText(p), ours, note, p.source];
}

export const COMPARISON_HEADER = ['quantity', 'paper', 'ours (mean ± std over seeds)', 'verdict', 'paper source'] as const;
