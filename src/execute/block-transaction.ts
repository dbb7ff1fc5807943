/**
 * The transaction of a model built by a project's `{% materialization %}` block, as dbt's connection keeps it:
 * not begun until a statement needs it (`statement(…)` with its default `auto_begin=True`, or a write such as
 * `adapter.drop_relation`), ended by the block's `adapter.commit()` or, at the end of the block, by Strata,
 * rolled back if the block fails. So `run_hooks(pre_hooks, inside_transaction=False)` runs before it begins and
 * `run_hooks(post_hooks, inside_transaction=False)` after it commits (dbt-core's `run_hooks` commits first).
 */
import type { Connection } from '../adapters/contract.js';
import type { ManifestNode } from '../parse/types.js';
import type { StatementOptions, TemplateWarehouse } from '../templating/index.js';
import { asHook, checkHookInTransaction, type HookSiteOf } from '../materializations/index.js';

export interface BlockTransaction {
  /** The block's view of the warehouse: statements that need the transaction begin it. */
  warehouse: TemplateWarehouse;
  /** Commits the open transaction, if any (the end of a block that did not commit). */
  commit(): Promise<void>;
  /** Rolls the open transaction back, if any (a failed block). */
  rollback(): Promise<void>;
}

/** Statements that only read: run as they come, opening no transaction (as dbt's run_query, auto_begin=False). */
const READS = /^(select|with|show|describe|desc|pragma|summarize|explain|from|values|table)\b/i;

function onlyReads(sql: string): boolean {
  const bare = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/, '');
  return READS.test(bare);
}

/**
 * One open transaction held by `connection.transaction` (so the connection knows it is in one) until `finish`:
 * the body waits for it, commits when it resolves and rolls back when it rejects.
 */
interface Held {
  began: Promise<void>;
  finish(error?: unknown): void;
  done: Promise<unknown>;
}

function hold(connection: Connection): Held {
  let finish!: (error?: unknown) => void;
  const body = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  let began!: () => void;
  const started = new Promise<void>((resolve) => (began = resolve));
  const done = connection.transaction(() => {
    began();
    return body;
  });
  // `begin` itself failing rejects `done` before the body starts: the caller's statement fails with it.
  return { began: Promise.race([started, done.then(() => undefined)]), finish, done };
}

/**
 * `node`'s block transaction on `connection`, over the block's warehouse `inner`. `checkHooks`: the warehouse has
 * transactions (DuckDB), so a hook run in the transaction is checked for statements that cannot run there.
 */
export function blockTransaction(connection: Connection, inner: TemplateWarehouse, node: ManifestNode, checkHooks: boolean, siteOf?: HookSiteOf): BlockTransaction {
  let held: Held | undefined;
  const begin = async (sql: string, options: StatementOptions | undefined): Promise<void> => {
    const opens = options?.autoBegin ?? !onlyReads(sql);
    if (options?.hook && (opens || held) && checkHooks) checkHookInTransaction(node, sql, options.hook.place, options.hook.index, siteOf?.(options.hook.place, options.hook.index));
    if (!opens || held) return;
    held = hold(connection);
    await held.began;
  };
  const end = async (error?: unknown): Promise<void> => {
    const h = held;
    held = undefined;
    if (!h) return;
    h.finish(error);
    if (error === undefined) await h.done;
    else await h.done.catch(() => undefined);
  };
  // A hook's failing statement is remembered as that hook's (the diagnostic names it).
  const asHookOf = <T>(sql: string, options: StatementOptions | undefined, run: () => Promise<T>): Promise<T> => (options?.hook ? asHook({ ...options.hook, sql }, run) : run());
  const warehouse: TemplateWarehouse = {
    query: async (sql, options) => {
      await begin(sql, options);
      return asHookOf(sql, options, () => inner.query(sql));
    },
    getColumns: (relation) => inner.getColumns(relation),
    relationExists: (relation) => inner.relationExists(relation),
    ...(inner.execute
      ? {
          execute: async (sql: string, options?: StatementOptions) => {
            await begin(sql, options);
            return asHookOf(sql, options, () => inner.execute!(sql));
          },
        }
      : {}),
    commit: () => end(),
  };
  return { warehouse, commit: () => end(), rollback: () => end(new Error('the materialization failed')) };
}
