import { variant } from './ast.js';
import { ModelTrace } from './model-trace.js';
import type { NodeRegistry } from './node-registry.js';
import { atLeast, edgesOf, mergeOrigins, type OutColumn, type Shape } from './origins.js';
import { evalQuery } from './query-eval.js';
import { parseSql } from './sql-parser.js';
import { UNNAMED } from './projection.js';
import type { LineageDialect, NodeLineage, TraceableNode } from './types.js';

/** At most this many reasons are spelled out; the rest are counted. */
const MAX_REASONS = 4;

function reasonOf(problems: string[]): string {
  const shown = problems.slice(0, MAX_REASONS).join('; ');
  return problems.length > MAX_REASONS ? `${shown}; and ${problems.length - MAX_REASONS} more` : shown;
}

/** A model whose SQL could not be read at all. */
function untraced(reason: string): { lineage: NodeLineage; problems: string[] } {
  return { lineage: { status: 'untraced', reason, columns: {}, filters: [] }, problems: [reason] };
}

/** Sets a traced model's status and reason from its problems (an open star is one). */
export function settle(lineage: NodeLineage, problems: string[], open: boolean): void {
  if (lineage.status === 'untraced') return;
  lineage.status = !problems.length ? 'traced' : open || Object.keys(lineage.columns).length ? 'partial' : 'untraced';
  if (problems.length) lineage.reason = reasonOf(problems);
  else delete lineage.reason;
}

/** The reason a model selecting * over unknown columns gives. */
export function openProblem(shape: Shape): string {
  return `it selects * over ${shape.openReason ?? 'a relation whose columns are unknown'}, so only the columns read downstream are listed`;
}

/**
 * One model's compiled SQL → the upstream columns of each output column, and the columns it filters and
 * joins on. `shape` (what downstream models read) is absent when the SQL could not be read.
 */
export function traceModel(node: TraceableNode, registry: NodeRegistry, dialect: LineageDialect, renamesRepeatedColumns = false): { lineage: NodeLineage; problems: string[]; shape?: Shape } {
  const parsed = parseSql(node.sql, dialect);
  if (!parsed.ok) return untraced(`the ${dialect} SQL parser cannot read the compiled SQL: ${parsed.message}`);
  const queries = parsed.statements.map((s) => variant(s)).filter((v) => v?.[0] === 'Query');
  if (queries.length !== 1 || parsed.statements.length !== 1) return untraced('the compiled SQL is not one SELECT statement');
  const trace = new ModelTrace(registry, node.parents);
  let shape: Shape;
  try {
    shape = evalQuery(queries[0]![1], trace, new Map());
  } catch (e) {
    // A shape of the AST this reader does not know: say so rather than fail the command.
    return untraced(`the compiled SQL has a construct lineage does not read (${(e as Error).message})`);
  }
  const columns: NodeLineage['columns'] = {};
  const renamed = new Map<OutColumn, string>();
  for (const c of shape.columns) {
    if (c.name.startsWith(UNNAMED)) {
      trace.problem(`output column ${c.name.slice(1)} has no name (give it an alias)`);
      continue;
    }
    let name = c.name;
    if (columns[name]) {
      // Some warehouses name a repeated output column name_1, name_2 … (a join's `select *`); others refuse it.
      if (!renamesRepeatedColumns) trace.problem(`two output columns are named ${name}`);
      for (let n = 1; columns[name]; n++) name = `${c.name}_${n}`;
      renamed.set(c, name);
    }
    columns[name] = { upstream: edgesOf(c.origins, name) };
  }
  for (const [name, from] of Object.entries(node.extraColumns ?? {})) {
    const origins = mergeOrigins(...shape.columns.filter((c) => from.includes(c.name)).map((c) => atLeast(c.origins, 2)));
    columns[name] ??= { upstream: edgesOf(origins, name) };
  }
  const lineage: NodeLineage = { status: 'traced', columns, filters: trace.filters() };
  if (!shape.columns.length && !shape.open) trace.problem('it has no output column');
  const extra = Object.keys(node.extraColumns ?? {}).map((name) => ({ name, origins: [] }));
  const own = shape.columns.filter((c) => !c.name.startsWith(UNNAMED)).map((c) => ({ name: renamed.get(c) ?? c.name, origins: c.origins }));
  return { lineage, problems: [...trace.problems], shape: { ...shape, columns: [...own, ...extra] } };
}
