/**
 * Statements a hook cannot run inside the node's transaction (DuckDB): `checkpoint` / `force checkpoint`, which
 * DuckDB refuses while the transaction has changes ("TransactionContext Error: Cannot CHECKPOINT"), and
 * `begin` / `commit` / `rollback`, which would start a second transaction or end the node's own half-way
 * (committing part of its change before the rest could fail). Found in the rendered hook before it runs, so
 * the node fails with a diagnostic naming the hook and the fix, and its change is rolled back as for any
 * failing hook.
 */
import { UserError } from '../diagnostics/index.js';
import type { ManifestNode } from '../parse/types.js';

/** Where a hook runs: in the node's transaction (`pre-hook`, `post-hook`). */
export type HookPlace = 'pre-hook' | 'post-hook';

/** Where a node's hook is written: the model file, its property file or the project file (`+post-hook:`). */
export interface HookSite {
  file: string;
  line?: number;
}

/** Finds where hook `index` (0-based, in the node's whole `pre_hook` / `post_hook` list) is written. */
export type HookSiteOf = (place: HookPlace, index: number) => HookSite | undefined;

const CHECKPOINT = /^(force\s+)?checkpoint\b|^call\s+(force_)?checkpoint\s*\(/i;
const TRANSACTION_CONTROL = /^(begin|start\s+transaction|commit|rollback|abort|end)\b/i;

/** The hook's statements, without comments (a `;` inside a string literal may split one: the check only reads their first words). */
function statementsOf(sql: string): string[] {
  const bare = sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
  return bare.split(';').map((s) => s.trim()).filter(Boolean);
}

/** The first statement of a hook that cannot run inside a transaction, if any. */
export function statementOutsideTransaction(sql: string): { statement: string; kind: 'checkpoint' | 'transaction-control' } | undefined {
  for (const statement of statementsOf(sql)) {
    if (CHECKPOINT.test(statement)) return { statement, kind: 'checkpoint' };
    if (TRANSACTION_CONTROL.test(statement)) return { statement, kind: 'transaction-control' };
  }
  return undefined;
}

/**
 * Throws a `hook-needs-no-transaction` diagnostic when the rendered hook holds such a statement. `index`: the
 * hook's place in the node's whole list (as the user counts them); `site`: where it is written, when known.
 */
export function checkHookInTransaction(node: ManifestNode, sql: string, place: HookPlace, index: number, site?: HookSite): void {
  const found = statementOutsideTransaction(sql);
  if (!found) return;
  const shown = found.statement.length > 60 ? `${found.statement.slice(0, 57)}...` : found.statement;
  const wrapper = place === 'pre-hook' ? 'before_begin' : 'after_commit';
  const when = place === 'pre-hook' ? 'before the transaction begins' : 'after it commits';
  const message =
    found.kind === 'checkpoint'
      ? `${node.resourceType} '${node.name}': ${place} ${index + 1} runs '${shown}', which cannot run inside the node's transaction (its pre-hooks, build and post-hooks are one transaction)`
      : `${node.resourceType} '${node.name}': ${place} ${index + 1} runs '${shown}', and the node's pre-hooks, build and post-hooks already run in one transaction`;
  const hint =
    found.kind === 'checkpoint'
      ? `run it ${when}: write ${place.replace('-', '_')}=${wrapper}("${shown}") in config(), or {sql: "${shown}", transaction: false} in YAML (with threads > 1, 'force checkpoint' waits for the other nodes' transactions, where 'checkpoint' fails while they run)`
      : `remove it from the hook (the transaction is Strata's), or run the hook ${when} with ${wrapper}("…") / {sql: "…", transaction: false}`;
  const where = site && site.file !== node.originalFilePath ? ` (set in ${site.file}${site.line ? `:${site.line}` : ''})` : '';
  throw new UserError({ code: 'hook-needs-no-transaction', severity: 'error', message: message.replace(`${place} ${index + 1} runs`, `${place} ${index + 1}${where} runs`), file: site?.file ?? node.originalFilePath, ...(site?.line ? { line: site.line } : {}), hint });
}
