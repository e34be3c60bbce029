// The Markdown form of a report; figures are written next to it as figures/<name>.svg.
import type { Report } from './report.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function reportMarkdown(report: Report): string {
  const out: string[] = [`# ${report.title}`, '', `**Status:** ${report.status}`, ''];
  for (const b of report.blocks) {
    switch (b.kind) {
      case 'heading': out.push(`## ${b.text}`, ''); break;
      case 'paragraph': out.push(b.text, ''); break;
      case 'list': out.push(...b.items.map((i) => `- ${i}`), ''); break;
      case 'table':
        if (b.caption) out.push(`*${b.caption}*`, '');
        out.push(`| ${b.header.map(cell).join(' | ')} |`, `|${b.header.map(() => ' --- ').join('|')}|`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), '');
        break;
      case 'figure': out.push(`![${b.caption}](figures/${b.name}.svg)`, '', `*${b.caption}*`, ''); break;
    }
  }
  return out.join('\n');
}
