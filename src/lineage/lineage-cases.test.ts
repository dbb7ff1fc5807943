import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { traceProject } from './trace-project.js';
import type { KnownRelation, LineageDialect, NodeLineage } from './types.js';

/**
 * The lineage conformance table: one YAML file per dialect, each case a model's SQL, the relations it may
 * read (with their catalog columns, or none when unknown) and the expected edges. Edges are written
 * `<node id>.<column> <kind>`.
 */
interface CaseFile {
  relations: { id: string; relation: string; columns?: string[] }[];
  cases: Case[];
}
interface Case {
  name: string;
  sql?: string;
  nodes?: { id: string; sql: string }[];
  /** Ephemeral models by name (their CTEs are read as the model). */
  ephemerals?: Record<string, string>;
  /** Relations of this case only, added to the file's. */
  relations?: CaseFile['relations'];
  expect: Record<string, Expected>;
}
interface Expected {
  status?: NodeLineage['status'];
  reason?: string;
  columns?: Record<string, string[]>;
  filters?: string[];
}

const UNDER_TEST = 'model.p.under_test';

function relationsOf(list: CaseFile['relations']): KnownRelation[] {
  return list.map((r) => {
    const parts = r.relation.split('.');
    return { uniqueId: r.id, resourceType: r.id.split('.')[0]!, identifier: parts.pop()!, schema: parts.pop()!, ...(parts.length ? { database: parts[0] } : {}), ...(r.columns ? { columns: r.columns } : {}) };
  });
}

const edge = (e: { node: string; column: string; kind: string }): string => `${e.node}.${e.column} ${e.kind}`;

function load(dialect: LineageDialect): Case[] {
  const file = parse(readFileSync(new URL(`./cases/${dialect}.yml`, import.meta.url), 'utf8')) as CaseFile;
  return file.cases.map((c) => ({ ...c, relations: [...file.relations, ...(c.relations ?? [])] }));
}

for (const dialect of ['duckdb', 'bigquery'] as const) {
  describe(`column lineage (${dialect})`, () => {
    it.each(load(dialect).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const nodes = c.nodes ?? [{ id: UNDER_TEST, sql: c.sql! }];
      const relations = relationsOf(c.relations!);
      for (const n of nodes) if (!relations.some((r) => r.uniqueId === n.id) && !Object.values(c.ephemerals ?? {}).includes(n.id)) relations.push({ uniqueId: n.id, resourceType: 'model', schema: 'main', identifier: n.id.split('.').pop()! });
      const artifact = await traceProject({ dialect, renamesRepeatedColumns: dialect === 'duckdb', adapterType: dialect, invocationId: 'test', relations, nodes: nodes.map((n) => ({ uniqueId: n.id, sql: n.sql })), ephemerals: c.ephemerals });
      for (const [id, want] of Object.entries(c.expect)) {
        const got = artifact.nodes[id === 'model' ? UNDER_TEST : id]!;
        expect(got, `lineage of ${id}`).toBeDefined();
        const actual: Expected = { status: got.status };
        if (want.columns) actual.columns = Object.fromEntries(Object.entries(got.columns).map(([k, v]) => [k, v.upstream.map(edge)]));
        if (want.filters) actual.filters = got.filters.map(edge);
        if (want.reason) expect(got.reason ?? '').toContain(want.reason);
        expect(actual, JSON.stringify(got)).toEqual({ status: want.status ?? 'traced', ...(want.columns ? { columns: want.columns } : {}), ...(want.filters ? { filters: want.filters } : {}) });
      }
    });
  });
}
