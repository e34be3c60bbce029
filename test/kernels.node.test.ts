// Every kernel case against the float64 reference, in Node on the `webgpu` package.
import { describe, expect, it } from 'vitest';
import { kernelCaseList } from './cases/index.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

for (const [op, cases] of kernelCaseList()) {
  describe(`${op} (node)`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const result = await engine().checked(() => c.run(engine()));
        expect(result.ok, result.detail).toBe(true);
      });
    }
  });
}
