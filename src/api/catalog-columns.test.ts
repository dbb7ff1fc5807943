/**
 * The catalog reader behind `strata lineage`: a BigQuery catalog lists STRUCT fields as `parent.child` rows,
 * which are not columns of the relation; a column whose name merely contains a dot (DuckDB allows `"a.b"`)
 * is one, even beside a column `a`.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCatalogColumns } from './project-lineage.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function catalogWith(columns: [string, string][]): string {
  dir = mkdtempSync(join(tmpdir(), 'strata-catalog-columns-'));
  const cols = Object.fromEntries(columns.map(([name, type], i) => [name, { name, type, index: i + 1, comment: '' }]));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify({ nodes: { 'model.p.m': { columns: cols } }, sources: {} }));
  return dir;
}

describe('readCatalogColumns', () => {
  it('drops the fields nested in a STRUCT or an ARRAY of STRUCTs, at any depth', () => {
    const target = catalogWith([['code', 'STRING'], ['info', 'STRUCT<zone INT64, place STRUCT<city STRING>>'], ['info.place', 'STRUCT<city STRING>'], ['info.place.city', 'STRING'], ['info.zone', 'INT64'], ['parts', 'ARRAY<STRUCT<sku INT64>>'], ['parts.sku', 'INT64']]);
    expect(readCatalogColumns(target).get('model.p.m')?.map((c) => c.name)).toEqual(['code', 'info', 'parts']);
  });

  it('keeps a column named with a dot beside a column of that prefix that is not a STRUCT', () => {
    const target = catalogWith([['a', 'INTEGER'], ['a.b', 'VARCHAR'], ['c', 'INTEGER']]);
    expect(readCatalogColumns(target).get('model.p.m')?.map((c) => c.name)).toEqual(['a', 'a.b', 'c']);
  });
});
