// A report on disk: report.md with its figures as figures/<name>.svg, and report.html, the
// self-contained page (figures inline).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './report.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-md.js';

/** Writes the report into `dir` as <stem>.md and <stem>.html and returns the path of the HTML page. */
export async function writeReportFiles(dir: string, report: Report, stem = 'report'): Promise<string> {
  const figures = report.blocks.filter((b) => b.kind === 'figure');
  await mkdir(figures.length > 0 ? join(dir, 'figures') : dir, { recursive: true });
  for (const b of figures) await writeFile(join(dir, 'figures', `${b.name}.svg`), b.svg);
  await writeFile(join(dir, `${stem}.md`), reportMarkdown(report));
  const html = join(dir, `${stem}.html`);
  await writeFile(html, reportHtml(report));
  return html;
}
