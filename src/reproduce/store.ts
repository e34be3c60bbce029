// Results as they are produced: one JSON line per finished unit in DIR/<experiment>/results.jsonl,
// appended (never rewritten), so an interrupted experiment keeps every unit it finished. A last
// line cut short by an interruption is ignored (and that unit is redone).
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface StoredResult {
  readonly unit: string;
  readonly data: unknown;
  readonly seconds: number;
  readonly finishedAt: string;
}

export class ResultStore {
  private readonly results = new Map<string, StoredResult>();
  /** The file ends in a line cut short: the next record must start on a line of its own. */
  private cutShort = false;

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    this.cutShort = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let record: StoredResult;
      try {
        record = JSON.parse(line) as StoredResult;
      } catch {
        continue;
      }
      if (typeof record.unit === 'string') this.results.set(record.unit, record);
    }
  }

  has(unit: string): boolean {
    return this.results.has(unit);
  }

  get size(): number {
    return this.results.size;
  }

  /** unit → data of every finished unit. */
  data(): Map<string, unknown> {
    return new Map([...this.results].map(([k, r]) => [k, r.data]));
  }

  /** Every stored record, in file order. */
  records(): StoredResult[] {
    return [...this.results.values()];
  }

  async append(unit: string, data: unknown, seconds: number): Promise<void> {
    await this.adopt({ unit, data, seconds, finishedAt: new Date().toISOString() });
  }

  /** Stores a record made elsewhere (another shard's), as it is. */
  async adopt(record: StoredResult): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${this.cutShort ? '\n' : ''}${JSON.stringify(record)}\n`);
    this.cutShort = false;
    this.results.set(record.unit, record);
  }
}
