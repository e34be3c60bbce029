// DIR/index.md and DIR/index.html: one page over every experiment in DIR, so a user who ran
// `jetcurve reproduce all` opens one file. Each experiment leaves DIR/<name>/summary.json beside
// its report (status, and how many rows of its comparison tables agree with the paper); the
// index is rebuilt from those files, so it covers experiments run by separate commands too.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPERIMENT_NAMES } from './paper.js';
import { COMPARISON_HEADER, paragraph, table, type Report } from './report.js';
import { writeReportFiles } from './report-files.js';

export interface ReportSummary {
  readonly experiment: string;
  readonly title: string;
  readonly status: string;
  readonly complete: boolean;
  /** Rows of the comparison tables whose verdict agrees with the paper, differs from it, or has no paper number. */
  readonly agrees: number;
  readonly differs: number;
  readonly other: number;
}

export function summarizeReport(report: Report, complete: boolean): ReportSummary {
  const verdicts = report.blocks.flatMap((b) => b.kind === 'table' && b.header[3] === COMPARISON_HEADER[3] ? b.rows.map((r) => r[3] ?? '') : []);
  const agrees = verdicts.filter((v) => v.startsWith('agrees')).length;
  const differs = verdicts.filter((v) => v.startsWith('differs')).length;
  return { experiment: report.experiment, title: report.title, status: report.status, complete, agrees, differs, other: verdicts.length - agrees - differs };
}

export async function writeSummary(dir: string, summary: ReportSummary): Promise<void> {
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

/** Rewrites DIR/index.{md,html} from the summaries present; returns the HTML path, or null when there are none. */
export async function writeIndex(out: string): Promise<string | null> {
  const summaries = EXPERIMENT_NAMES.map((n) => join(out, n, 'summary.json')).filter(existsSync)
    .map((p) => JSON.parse(readFileSync(p, 'utf8')) as ReportSummary);
  if (summaries.length === 0) return null;
  // The scale each folder was run at (its manifest's): one index may mix paper and quick runs.
  const scaleOf = (name: string): string => {
    const path = join(out, name, 'manifest.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { scale?: string }).scale ?? '?' : '?';
  };
  const missing = EXPERIMENT_NAMES.filter((n) => !summaries.some((s) => s.experiment === n));
  const complete = summaries.filter((s) => s.complete).length;
  const report: Report = {
    title: 'jetcurve: the papers\' experiments, reproduced',
    experiment: 'index',
    status: `${complete} of ${EXPERIMENT_NAMES.length} experiments complete${missing.length ? `; no results yet in this folder: ${missing.join(', ')}` : ''}.`,
    blocks: [
      paragraph('One row per experiment; each report puts our numbers beside the paper\'s row by row and says where and why they differ. "Agree" counts rows where the paper\'s value lies in our 95% confidence interval, or our mean in the paper\'s interval, range or ± std over its seeds (with fewer than three seeds we give no interval of our own); "differ" counts the rest of the rows that have a paper number to compare; "other" counts rows without one (our choices, settings the paper does not give).'),
      table(['experiment', 'scale', 'status', 'agree', 'differ', 'other', 'report'], summaries.map((s) => [
        s.title.replace(/: jetcurve beside the paper$/, ''), scaleOf(s.experiment), s.complete ? 'complete' : s.status.replace(/ Continue with.*$/, ''), String(s.agrees), String(s.differs), String(s.other),
        `[${s.experiment}/report.html](${s.experiment}/report.html)`,
      ])),
    ],
  };
  return writeReportFiles(out, report, 'index');
}
