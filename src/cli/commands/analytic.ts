// `jetcurve analytic`: the analytic sanity suite of the paper's §5.1 (src/lambda/analytic.ts).
import type { Command } from 'commander';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { pct, runAnalyticSuite, type SuiteRow } from '../../lambda/analytic.js';
import { toJson } from '../../lambda/json.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';

export function register(program: Command): void {
  addAdapterOption(program.command('analytic')
    .description('the analytic sanity suite: radii, a band-limited cutoff, sin x and the Gaussian, with truth and error')
    .option('--json', 'print JSON'))
    .action(async (options: { json?: boolean; adapter: AdapterChoice }) => {
      await withEngine(options.adapter, async (engine) => {
        const suite = await runAnalyticSuite(engine);
        const failed = suite.rows.filter((r) => !r.pass).length;
        if (options.json) {
          const rows = suite.rows.map(({ curve: _c, line: _l, ...row }) => row);
          console.log(toJson({ order: suite.order, adapter: adapterText(engine), rows, bandLimited: suite.bandLimited, failed }));
        } else {
          console.log(`Analytic sanity suite (§5.1), order ${suite.order}; expressions on the GPU (${adapterText(engine)})\n`);
          console.log(leftTable(['function', 'convention', 'truth', 'estimate', 'error', 'ok'], suite.rows.map(cells)));
          console.log('\nhow:');
          for (const r of suite.rows) console.log(`  ${r.name}: ${r.note}`);
          console.log(`\nband-limited signal: ${suite.bandLimited}`);
          console.log('taylor: R from normalized coefficients cₙ = f⁽ⁿ⁾/n!, λ = −log R; raw: slope of log‖Dⁿf‖, Dⁿf = n!·cₙ.');
          console.log(failed === 0 ? 'all rows pass' : `${failed} row${failed > 1 ? 's' : ''} FAIL`);
        }
        if (failed > 0) process.exitCode = 1;
      });
    });
}

function cells(r: SuiteRow): string[] {
  const value = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : v > 0 ? '∞' : '−∞');
  const error = r.errorKind === 'relative' ? pct(r.error) : r.errorKind === 'absolute' ? r.error.toExponential(1) : '—';
  return [r.name, r.convention, `${r.quantity} = ${value(r.truth)}`, `${r.quantity} = ${value(r.estimate)}`, error, r.pass ? 'yes' : 'NO'];
}

/** Columns padded on the right: the rows are text, not numbers to line up on the decimal point. */
function leftTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((s, c) => s.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
