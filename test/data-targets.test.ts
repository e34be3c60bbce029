// Data files with real targets ([points][outputs]) for the squared error: read, written back
// unchanged, and refused with the problem and the fix when their shape is wrong.
import { describe, expect, it } from 'vitest';
import { DATA_FORMAT, parseDataSet, stringifyDataSet } from '../src/data/file.js';

const good = { format: DATA_FORMAT, inputShape: [2], inputs: [[0, 1], [2, 3], [4, 5]], targets: [[0.5, -1, 2], [1, 0, 0], [-0.25, 3, 1]] };

describe('data files with targets', () => {
  it('read the targets row-major with their size per point, and write them back', () => {
    const d = parseDataSet(good);
    expect(d.targetSize).toBe(3);
    expect(Array.from(d.targets!)).toEqual(good.targets.flat());
    expect(d.labels).toBeNull();
    const again = parseDataSet(stringifyDataSet(d));
    expect(Array.from(again.targets!)).toEqual(good.targets.flat());
    expect(parseDataSet({ ...good, targets: undefined }).targets).toBeUndefined();
  });

  it('refuse targets of the wrong shape or content by name', () => {
    expect(() => parseDataSet({ ...good, targets: [[1, 2, 3], [4, 5, 6]] })).toThrow(/2 target rows for 3 inputs[\s\S]*one row of targets per input/);
    expect(() => parseDataSet({ ...good, targets: [[1, 2, 3], [4, 5], [6, 7, 8]] })).toThrow(/targets\[1\] holds 2 numbers, targets\[0\] holds 3/);
    expect(() => parseDataSet({ ...good, targets: [[1, 'a', 3], [4, 5, 6], [6, 7, 8]] })).toThrow(/targets\[0\]\[1\]/);
    expect(() => parseDataSet({ ...good, targets: [[], [], []] })).toThrow(/targets\[0\]: expected at least one target value/);
  });
});
