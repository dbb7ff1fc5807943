/**
 * Running a project's `{% materialization %}` block for a model, as dbt's ModelRunner does: the block is the
 * macro `materialization_<name>_<adapter>`, called without arguments in the model's run context, with dbt's
 * `sql`/`compiled_code`, `pre_hooks`/`post_hooks` (run by the `run_hooks` macro) and a `statement` whose
 * `main` result is the node's adapter response. It must `return({'relations': [...]})`.
 */
import type { Relation } from '../adapters/contract.js';
import { UserError } from '../diagnostics/index.js';
import { hookOf } from '../project/index.js';
import { agateTable } from './agate-table.js';
import { splitArgs } from './call-args.js';
import { isDict } from './jinja/values.js';
import type { MacroRegistry } from './macro-registry.js';
import { materializationMacroName } from './materialization-lookup.js';
import type { MacroInfo, MaterializationCall, MaterializationOutcome, RenderNode, RunRenderContext, StatementOptions } from './types.js';

interface StatementResult {
  response: Record<string, unknown>;
  data: unknown[];
  table: unknown;
}

/** dbt's adapter response code: the statement's verb (`CREATE TABLE`, `INSERT`), as Strata's own materializations word it. */
function responseCode(sql: string): string {
  const m = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(create\s+(?:or\s+replace\s+)?(?:temp(?:orary)?\s+)?(?:table|view|schema)|[a-z]+)/i.exec(sql);
  return m ? m[1]!.replace(/\s+/g, ' ').replace(/ or replace| temp(orary)?/gi, '').toUpperCase() : 'OK';
}

/**
 * dbt's `statement(name, fetch_result=False, …)` call block and `load_result(name)`: a statement whose rows
 * are not fetched goes to the warehouse as a statement, so its response has the rows it wrote.
 */
function statements(context: RunRenderContext, hookPlaces: WeakMap<object, HookPlace>): { statement: (...a: unknown[]) => unknown; loadResult: (name: string) => StatementResult | null; results: Map<string, StatementResult> } {
  const results = new Map<string, StatementResult>();
  const warehouse = context.warehouse;
  const statement = (...args: unknown[]): unknown => {
    const { pos, kw } = splitArgs(args);
    // As dbt's: a statement without a name runs, and keeps no result.
    const named = pos[0] ?? kw.name;
    const name = named === undefined || named === null ? undefined : String(named);
    const fetch = Boolean(pos[1] ?? kw.fetch_result ?? false);
    const hook = kw.hook && typeof kw.hook === 'object' ? hookPlaces.get(kw.hook) : undefined;
    const options = { autoBegin: Boolean(pos[2] ?? kw.auto_begin ?? true), ...(hook ? { hook } : {}) };
    const caller = kw.caller as (() => unknown) | undefined;
    if (!warehouse || !caller) return '';
    return Promise.resolve(caller()).then(async (body) => {
      const sql = String(body);
      const code = responseCode(sql);
      if (fetch || !warehouse.execute) {
        const result = await warehouse.query(sql, options);
        const table = agateTable(result) as { rows: unknown[] };
        if (name) results.set(name, { response: { _message: 'OK', code, rows_affected: fetch ? table.rows.length : -1 }, data: table.rows, table });
        return '';
      }
      const r = await warehouse.execute(sql, options);
      const rows = r.rowsAffected;
      const usage = r.bytesProcessed !== undefined ? { bytes_processed: r.bytesProcessed, bytes_billed: r.bytesBilled, job_id: r.jobId } : {};
      const response = { ...r.response, _message: rows === undefined ? 'OK' : `${code} ${rows}`, code, rows_affected: rows ?? -1, ...usage };
      const table = agateTable({ columns: [], rows: [] });
      if (name) results.set(name, { response, data: [], table });
      return '';
    });
  };
  return { statement, loadResult: (name) => results.get(name) ?? null, results };
}

type RelationLike = { database?: unknown; schema?: unknown; identifier?: unknown; type?: unknown } | null | undefined;

const toRelation = (rel: NonNullable<RelationLike>): Relation => ({ ...(rel.database ? { database: String(rel.database) } : {}), schema: String(rel.schema), identifier: String(rel.identifier) });

/** `apply_grants(relation, grant_config, should_revoke=True)`: the grants through the run (nothing where the warehouse has none). */
function applyGrants(call: MaterializationCall, args: unknown[]): unknown {
  const { pos, kw } = splitArgs(args);
  const rel = (pos[0] ?? kw.relation) as RelationLike;
  const grants = pos[1] ?? kw.grant_config;
  const revoke = pos[2] ?? kw.should_revoke ?? true;
  if (!call.applyGrants || !rel || !grants) return '';
  return call.applyGrants(toRelation(rel), typeof rel.type === 'string' ? rel.type : null, grants, Boolean(revoke)).then(() => '');
}

type HookPlace = NonNullable<StatementOptions['hook']>;

/** dbt's hook objects (`sql`, `transaction`, `index`), each remembered with its list and place for `statement(hook=…)`. */
function hookObjects(hooks: string[], place: HookPlace['place'], places: WeakMap<object, HookPlace>): Record<string, unknown>[] {
  return hooks.map((text, index) => {
    const hook = { ...hookOf(text), index };
    places.set(hook, { place, index });
    return hook;
  });
}

function returnedRelations(returned: unknown, block: MacroInfo, node: RenderNode): MaterializationOutcome['relations'] {
  const at = { file: block.path, line: block.line };
  if (typeof returned === 'string' || returned === undefined || returned === null) {
    throw new UserError({ code: 'materialization-no-return', severity: 'error', message: `The materialization ("${block.name}") did not explicitly return a list of relations to add to the cache (model '${node.name}')`, ...at, hint: "end the materialization with {{ return({'relations': [target_relation]}) }}" });
  }
  const list = isDict(returned) ? returned.relations : undefined;
  if (!Array.isArray(list)) {
    throw new UserError({ code: 'materialization-no-return', severity: 'error', message: `Invalid return value from materialization "${block.name}", expected a dict with key "relations" (model '${node.name}')`, ...at, hint: "return({'relations': [target_relation]})" });
  }
  return list.map((r) => {
    const rel = r as RelationLike;
    if (!rel || typeof rel !== 'object' || rel.identifier === undefined || rel.schema === undefined) {
      throw new UserError({ code: 'materialization-no-return', severity: 'error', message: `materialization "${block.name}" returned something that is not a relation in 'relations' (model '${node.name}')`, ...at, hint: 'return relation objects (this, api.Relation.create(…), make_temp_relation(…))' });
    }
    return { relation: toRelation(rel), type: typeof rel.type === 'string' ? rel.type : null };
  });
}

/**
 * The run context of a materialization call and the call itself: `invoke` runs inside the render (its
 * state set by the engine), checks what the block returned and takes the `main` statement's response.
 */
export function materializationRun(node: RenderNode, block: MacroInfo, context: RunRenderContext, call: MaterializationCall): { context: RunRenderContext; invoke(registry: MacroRegistry): Promise<MaterializationOutcome> } {
  const hookPlaces = new WeakMap<object, HookPlace>();
  const { statement, loadResult, results } = statements(context, hookPlaces);
  const extra = {
    sql: call.sql,
    compiled_code: call.sql,
    pre_hooks: hookObjects(call.preHooks, 'pre-hook', hookPlaces),
    post_hooks: hookObjects(call.postHooks, 'post-hook', hookPlaces),
    statement,
    load_result: loadResult,
    apply_grants: (...args: unknown[]) => applyGrants(call, args),
    // dbt's: the model's `full_refresh` config where set, else the command's --full-refresh.
    should_full_refresh: () => (node.config.full_refresh === undefined || node.config.full_refresh === null ? context.fullRefresh : Boolean(node.config.full_refresh)),
  };
  return {
    context: { ...context, extraContext: { ...context.extraContext, ...extra } },
    async invoke(registry) {
      const returned = await registry.invoke(materializationMacroName(block), block.packageName, []);
      const relations = returnedRelations(returned, block, node);
      const main = results.get('main');
      if (!main) throw new UserError({ code: 'materialization-no-main', severity: 'error', message: `materialization "${block.name}" ran no statement('main') for model '${node.name}' (dbt: main is not being called during running model)`, file: block.path, line: block.line, hint: "run the model's SQL in {% call statement('main') %}…{% endcall %}" });
      return { relations, response: main.response };
    },
  };
}
