import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RelationKind } from '../adapters/contract.js';
import { LANDING_COLUMNS } from './ledger.js';
import type { Adopted, AdoptTarget } from './legacy-file-uris.js';

/** Earlier landings of objects landed twice: those with the same rows as the kept landing, and those with others. */
export interface Duplicates {
  /** The same rows as the landing kept: removed from bronze, ledger rows `replaced`. */
  retired: Adopted[];
  /** Other rows: kept as they are, under their absolute URI (another location's object, as they were landed). */
  different: Adopted[];
}

/**
 * Objects an earlier version landed from two folders (two copies of the project, or a project that moved and
 * landed again) have their rows in bronze twice. Per object one landing is kept: the one this version landed
 * or already adopted (named relative to the project), else the one landed from this folder, else the one
 * written last, as a reland would leave it;
 * another is retired only when its rows are the same as the kept one's (compared without the landing
 * columns), so that nothing is dropped that only it had.
 */
export async function findDuplicates(t: AdoptTarget, kind: RelationKind | undefined, objects: Adopted[]): Promise<Duplicates> {
  // The landing kept: the one named as objects are now (landed by this version), else this folder's own, else
  // the last written.
  const here = t.projectRoot ? `file://${t.projectRoot.replace(/\/+$/, '')}/` : undefined;
  const rank = (o: Adopted): number => (o.from === o.to ? Number.MAX_SAFE_INTEGER : here && o.from.startsWith(here) ? Number.MAX_SAFE_INTEGER - 1 : o.loaded);
  const last = new Map<string, Adopted>();
  for (const o of objects) if (o.loaded >= 0 && rank(o) > rank(last.get(o.to) ?? { ...o, from: '', loaded: -1 })) last.set(o.to, o);
  const out: Duplicates = { retired: [], different: [] };
  for (const o of objects) {
    const kept = last.get(o.to);
    if (o.loaded < 0 || !kept || kept === o) continue;
    (await sameRows(t, kind, o, kept).catch(() => false) ? out.retired : out.different).push(o);
  }
  return out;
}

/** Whether two landings of one object have the same rows, as many times each (an error, such as nested columns a warehouse cannot group by: no). */
async function sameRows(t: AdoptTarget, kind: RelationKind | undefined, a: Adopted, b: Adopted): Promise<boolean> {
  const { connection: c, dialect: d } = t;
  let from: (o: Adopted) => string;
  let columns: string;
  if (kind === 'view' && t.bronzeRoot && d.readFileSql) {
    const files = [a, b].map((o) => (o.bronzeFile ? join(t.bronzeRoot!, o.bronzeFile) : ''));
    if (files.some((f) => !f || !existsSync(f))) return false;
    from = (o) => `${d.readFileSql!(join(t.bronzeRoot!, o.bronzeFile!), { format: 'parquet', options: {}, hivePartitioned: false, tableTypes: new Map(), csvHeader: () => [] })}`;
    columns = (await c.query(`describe select * from ${from(a)}`)).rows.map((r) => String(r.column_name)).filter((n) => !LANDING_COLUMNS.includes(n)).map((n) => d.quoteIdentifier(n)).join(', ');
  } else if (kind === 'table') {
    const rel = d.renderRelation(t.relation);
    from = (o) => `${rel} where _strata_source_file = ${d.quoteString(o.from)}`;
    columns = (await c.getColumns(t.relation)).map((col) => col.name).filter((n) => !LANDING_COLUMNS.includes(n)).map((n) => d.quoteIdentifier(n)).join(', ');
  } else return false;
  const count = async (o: Adopted): Promise<number> => Number((await c.query(`select count(*) as n from ${from(o)}`)).rows[0]?.n ?? -1);
  if ((await count(a)) !== (await count(b))) return false;
  // As multisets: each distinct row with how often it occurs (EXCEPT ALL is not every warehouse's).
  const rows = (o: Adopted): string => `select ${columns}, count(*) as _strata_times from ${from(o)} group by ${columns}`;
  const differ = `select count(*) as n from ((${rows(a)} except distinct ${rows(b)}) union all (${rows(b)} except distinct ${rows(a)})) as x`;
  return Number((await c.query(differ)).rows[0]?.n ?? 1) === 0;
}
