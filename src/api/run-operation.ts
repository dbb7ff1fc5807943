import { withSessionSecrets } from '../execute/node-runner.js';
import { join } from 'node:path';
import { didYouMean, UserError, type Diagnostic } from '../diagnostics/index.js';
import { warningsAsErrors } from './warn-error.js';
import { RelationIndex } from '../compile/index.js';
import type { Warehouse } from '../adapters/contract.js';
import { keepLastNodeRun, runResultsArtifact, writeJsonArtifact, type NodeRunRecord } from '../artifacts/index.js';
import { yamlPackage } from '../project/yaml-package.js';
import { prepareProject } from './prepare.js';
import { operationContext } from '../execute/project-hooks.js';
import { templateContext } from '../execute/template-context.js';
import type { CommonOptions, ExitCode } from './types.js';
import { commentOutsideNodes } from '../execute/query-comments.js';

export interface RunOperationOptions extends CommonOptions {
  /** `my_macro`, or `package.my_macro`. */
  macro: string;
  /** `--args`: the macro's keyword arguments, as YAML or JSON text, or an object. */
  args?: string | Record<string, unknown>;
}

/** The file name of the one-line template that calls the macro. */
const CALL_FILE = '<run-operation>';
const NAME = /^(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)$/;

function readArgs(args: RunOperationOptions['args']): { value?: Record<string, unknown>; error?: string } {
  if (args === undefined) return { value: {} };
  if (typeof args === 'object') return { value: args };
  try {
    const v = yamlPackage().parse(args) as unknown;
    if (v === null || v === undefined) return { value: {} };
    if (typeof v !== 'object' || Array.isArray(v)) return { error: '--args must be a mapping of argument names to values, like {days: 7}' };
    return { value: v as Record<string, unknown> };
  } catch (e) {
    return { error: `--args is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}` };
  }
}

/**
 * `strata run-operation MACRO --args '{…}'`, as dbt's: calls a macro with the warehouse open. What the macro
 * renders is thrown away; what it runs (`run_query`, `statement`, `{% do … %}`) runs. Exit 0 when it
 * returns, 1 when it fails (the error is reported with its file and line), 2 for an unknown macro or bad
 * `--args`. run_results.json gets one result, `operation.<project>.<macro>`.
 */
export async function runOperation(options: RunOperationOptions): Promise<{ exitCode: ExitCode; diagnostics: Diagnostic[] }> {
  const started = Date.now();
  const outcome = await prepareProject({ ...options, command: 'run-operation' });
  if (!outcome.ok) return { exitCode: 2, diagnostics: outcome.diagnostics };
  const p = outcome.prepared;
  const diagnostics = [...p.diagnostics];
  // --warn-error: a warning about the project stops the operation before it runs, as in dbt.
  const strict = warningsAsErrors(diagnostics, options);
  if (strict) return { exitCode: 2, diagnostics: strict };
  const usage = (message: string, hint: string): { exitCode: ExitCode; diagnostics: Diagnostic[] } => ({ exitCode: 2, diagnostics: [...diagnostics, { code: 'operation-invalid', severity: 'error', message, file: 'run-operation', hint }] });

  const m = NAME.exec(options.macro);
  if (!m) return usage(`'${options.macro}' is not a macro name`, 'give the name of a macro, as in {% macro name(…) %}: strata run-operation grant_select --args "{role: reporter}"');
  const [, pkg, name] = m;
  const named = (x: { kind: string; name: string; packageName: string }): boolean => x.kind === 'macro' && x.name === name && (!pkg || x.packageName === pkg);
  // The project's and its packages' first; then dbt's global ones (`drop_schema_named`), as dbt finds them.
  const own = p.engine.macros.filter(named);
  const candidates = own.length ? own : (p.engine.globalMacros ?? []).filter(named);
  if (!candidates.length) {
    const known = p.engine.macros.filter((x) => x.kind === 'macro' && x.packageName !== 'dbt').map((x) => x.name);
    return usage(`no macro named '${options.macro}' in the project`, didYouMean(name!, known) ?? `define it in a file under ${p.project.config.macroPaths.join(', ')}`);
  }
  const args = readArgs(options.args);
  if (!args.value) return usage(args.error!, "pass the macro's arguments by name: --args '{days: 7, schema: staging}'");
  // One of dbt's own macros (drop_schema_named) without an argument it needs would fail in the warehouse.
  const missing = own.length ? [] : requiredArguments(candidates[0]!.sql).filter((a) => !(a in args.value!));
  if (missing.length) return usage(`macro '${name}' needs the argument${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which --args does not give`, `pass it by name: strata run-operation ${name} --args '{${missing[0]}: …}'`);

  const project = p.project.config.name;
  const uniqueId = `operation.${project}.${name}`;
  const relations = new RelationIndex(p.graph.manifest);
  let record: NodeRunRecord;
  let exitCode: ExitCode = 0;
  const t0 = Date.now();
  let warehouse: Warehouse | undefined;
  try {
    warehouse = await p.adapter.open(p.project.target, { projectRoot: p.project.config.rootDir, secrets: p.project.secrets, invocationId: p.invocationId });
    const connection = withSessionSecrets(p, await commentOutsideNodes(p, await warehouse.connect()));
    try {
      const call = `{% do ${options.macro}(**__strata_operation_args) %}`;
      await p.engine.runRender(
        { uniqueId, name: name!, resourceType: 'operation', packageName: project, file: CALL_FILE, fqn: [project, name!], config: {} } as never,
        call,
        operationContext(p, relations, connection, { __strata_operation_args: args.value }, templateContext(p, [])),
      );
      record = result(uniqueId, 'success', 'OK', t0);
    } finally {
      await connection.close();
    }
  } catch (e) {
    exitCode = 1;
    // A template error carries its file and line; a warehouse error describes itself in one line.
    const describe = (e as { describe?: () => string }).describe;
    const message = typeof describe === 'function' ? describe.call(e) : (e as Error).message.split('\n')[0]!;
    const macroAt = { file: candidates[0]!.path, line: candidates[0]!.line };
    // A warehouse error met in a macro (run_query, statement): the line of the call that met it, as templates locate it.
    const inner = (e as { templateStack?: { file?: string; line: number }[] }).templateStack?.[0];
    const failedAt = inner?.file && inner.file !== CALL_FILE && inner.file !== '<template>' ? { file: inner.file, line: inner.line } : macroAt;
    // An error placed in the one-line call itself is the macro's: point at its definition.
    const reported: Diagnostic[] = e instanceof UserError ? e.diagnostics.map((d) => (d.file === CALL_FILE ? { ...d, ...macroAt, column: undefined } : d)) : [{ code: 'operation-failed', severity: 'error', message, ...failedAt }];
    for (const d of reported) diagnostics.push({ ...d, message: p.scrubber.scrub(`run-operation ${options.macro} failed: ${d.message}`) });
    record = result(uniqueId, 'error', p.scrubber.scrub(e instanceof UserError ? e.diagnostics[0]!.message : message), t0);
  } finally {
    await warehouse?.close().catch(() => undefined);
  }
  keepLastNodeRun(p.targetDir); // the docs site keeps showing the last build's results
  writeJsonArtifact(join(p.targetDir, 'run_results.json'), runResultsArtifact({ invocationId: p.invocationId, env: p.env, records: [record], elapsed: (Date.now() - started) / 1000, args: { which: 'run-operation', macro: options.macro, args: options.args ?? {}, target: p.project.target.name, vars: options.vars ?? {} } }), p.scrubber);
  return { exitCode, diagnostics };
}

/** The arguments of a macro's `{% macro name(a, b=1) %}` that have no default. */
function requiredArguments(sql: string): string[] {
  const m = /\{%-?\s*macro\s+\w+\s*\(([^)]*)\)/.exec(sql);
  if (!m) return [];
  return m[1]!.split(',').map((a) => a.trim()).filter((a) => /^[A-Za-z_]\w*$/.test(a));
}

function result(uniqueId: string, status: string, message: string, started: number): NodeRunRecord {
  const now = Date.now();
  return { uniqueId, status, message, threadId: 'main', startedAt: new Date(started).toISOString(), completedAt: new Date(now).toISOString(), executionTime: (now - started) / 1000, adapterResponse: {}, failures: null };
}
