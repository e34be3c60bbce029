// No import cycles anywhere in the code, type-only imports included (a cycle of types still ties
// two modules into one): the graph of every relative import and re-export of every TypeScript
// file in src/, kernels/ and bench/, and each strongly connected component must be one module.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Tarjan's strongly connected components; returns those with more than one module. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import graph', () => {
  it('has no cycles in src/, kernels/ or bench/', () => {
    const files = ['src', 'kernels', 'bench'].flatMap(tsFiles);
    const graph = new Map<string, string[]>();
    // `import … from '…'`, `import '…'` and `export … from '…'`, over several lines too.
    const specifier = /^\s*(?:import|export)\b[^;'"]*?(?:from\s*)?['"](\.[^'"]+)['"]/gm;
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const targets = [...text.matchAll(specifier)].map((m) => normalize(join(dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
      for (const t of targets) if (t.endsWith('.ts') && !existsSync(join(root, t))) throw new Error(`${file}: import of ${t}, which does not exist`);
      graph.set(file, targets.filter((t) => t.endsWith('.ts')));
    }
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });
});
