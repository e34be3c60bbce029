// A report on disk: report.md with its figures as figures/<name>.svg, and report.html, the
// self-contained page (figures inline).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './report.js';
import { reportHtml } from './report-html.js';
import { reportMarkdown } from './report-md.js';

/** Writes the report into `dir` and returns the path of its HTML page. */
export async function writeReportFiles(dir: string, report: Report): Promise<string> {
  await mkdir(join(dir, 'figures'), { recursive: true });
  for (const b of report.blocks) if (b.kind === 'figure') await writeFile(join(dir, 'figures', `${b.name}.svg`), b.svg);
  await writeFile(join(dir, 'report.md'), reportMarkdown(report));
  const html = join(dir, 'report.html');
  await writeFile(html, reportHtml(report));
  return html;
}
