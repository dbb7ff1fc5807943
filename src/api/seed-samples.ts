/**
 * `seed --show`, as dbt's: for each seed loaded, up to 10 of its file's rows in random order, headed
 * `Random sample of table: <schema>.<alias>` (dbt shows the agate table it read from the CSV, not the warehouse's).
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Manifest } from '../parse/types.js';
import type { NodeRunRecord } from '../artifacts/index.js';
import type { ShowPreview } from './show-command.js';

/** One seed's sample: dbt's header line and the rows. */
export interface SeedSample {
  header: string;
  preview: ShowPreview;
}

const SHOWN = 10;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function seedSamples(manifest: Manifest, records: NodeRunRecord[], random: () => number = Math.random): SeedSample[] {
  const out: SeedSample[] = [];
  for (const r of records) {
    const node = manifest.nodes[r.uniqueId];
    if (!node || node.resourceType !== 'seed' || r.status !== 'success' || !node.seedFile) continue;
    const delimiter = node.config.delimiter === undefined ? ',' : String(node.config.delimiter);
    const [header = [], ...rows] = parseCsv(readFileSync(node.seedFile, 'utf8'), { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
    // Numbers as numbers where the whole column is numeric (right-aligned, as agate prints a Number column).
    const numeric = header.map((_h, i) => rows.every((row) => (row[i] ?? '') === '' || NUMBER.test(row[i]!.trim())));
    const shuffled = rows.map((row) => [random(), row] as const).sort((a, b) => a[0] - b[0]).map(([, row]) => row);
    const shown = shuffled.slice(0, SHOWN).map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] === undefined || row[i] === '' ? null : numeric[i] ? Number(row[i]) : row[i]])));
    out.push({ header: `Random sample of table: ${node.schema}.${node.alias}`, preview: { node: node.name, columns: header.map((name) => ({ name, dataType: '' })), rows: shown } });
  }
  return out;
}
