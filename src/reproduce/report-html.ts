// The HTML form of a report: one self-contained page (inline CSS, inline SVG figures, no
// scripts, no external assets), so it can be mailed or archived as a single file.
import type { Report } from './report.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** `code` spans, **bold** and [links](relative/path) as in the Markdown, after escaping. */
const inline = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>').replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
  .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');

const CSS = `body{font-family:Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}caption{caption-side:top;text-align:left;font-style:italic;padding:4px 0}
figure{margin:1.5em 0}figcaption{font-style:italic;font-size:.9em}.status{background:#fff8e0;border:1px solid #e6d48a;padding:.6em 1em}
code{background:#f3f3f3;padding:0 3px}svg{max-width:100%;height:auto}`;

export function reportHtml(report: Report): string {
  const out: string[] = [
    '<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', `<title>${esc(report.title)}</title>`, `<style>${CSS}</style>`, '</head><body>',
    `<h1>${esc(report.title)}</h1>`, `<p class="status"><strong>Status:</strong> ${inline(report.status)}</p>`,
  ];
  for (const b of report.blocks) {
    switch (b.kind) {
      case 'heading': out.push(`<h2>${esc(b.text)}</h2>`); break;
      case 'paragraph': out.push(`<p>${inline(b.text)}</p>`); break;
      case 'list': out.push('<ul>', ...b.items.map((i) => `<li>${inline(i)}</li>`), '</ul>'); break;
      case 'table':
        out.push('<table>', ...(b.caption ? [`<caption>${inline(b.caption)}</caption>`] : []),
          `<tr>${b.header.map((h) => `<th>${inline(h)}</th>`).join('')}</tr>`,
          ...b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`), '</table>');
        break;
      case 'figure':
        // The SVG is our own output (svgPlot escapes its text); the XML prolog-free element inlines as is.
        out.push(`<figure>${b.svg}<figcaption>${inline(b.caption)}</figcaption></figure>`);
        break;
    }
  }
  out.push('</body></html>');
  return out.join('\n') + '\n';
}
