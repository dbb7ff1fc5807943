/**
 * The context functions whose answer depends on the render: `ref`, `source`, `config`, `var`, `env_var` and
 * `secret`. A parse render (a recorder given) records each call and answers placeholders; a run render resolves.
 */
import type { Relation } from '../adapters/contract.js';
import type { RefCall, SourceCall } from '../parse/types.js';
import { SECRET_ENV_NAME } from '../diagnostics/index.js';
import { relationObject } from './template-relation.js';
import { splitArgs } from './call-args.js';
import { TemplateUserError } from './signals.js';
import { renderedVar } from './var-text.js';
import { envDigest, varDigest } from './read-digests.js';
import type { ScopeInput } from './render-scope.js';
import { hookSpelledTwice } from './fast-path.js';

type Args = unknown[];

/** The template's `config`: a call, and an object with methods. */
export type ConfigFunction = ((...args: Args) => string) & { get: (key: string, def?: unknown) => unknown; require: (key: string) => unknown; set: (key: string, value: unknown) => string };

export const placeholder = (parts: string[]): string => parts.map((p) => `"${p}"`).join('.');

/** While parsing, relations render as a placeholder (the warehouse names are not known yet) but have dbt's attributes. */
export const parseRelation = (rel: Relation, shown: string[]): Record<string, unknown> => relationObject(rel, () => placeholder(shown));

export function refFunction({ node, recorder, run }: ScopeInput): (...args: Args) => unknown {
  return (...args: Args): unknown => {
    const { pos, kw } = splitArgs(args);
    if (pos.length < 1 || pos.length > 2) throw new TemplateUserError('ref-invalid', `ref() takes a model name, or a package and a model name; got ${pos.length} arguments`, "write ref('model_name')");
    const call: RefCall = pos.length === 2 ? { package: String(pos[0]), name: String(pos[1]) } : { name: String(pos[0]) };
    const version = kw.v ?? kw.version;
    if (version !== undefined) call.version = version as string | number;
    if (recorder) {
      recorder.refs.push(call);
      return parseRelation({ schema: String(node.config.schema ?? 'schema'), identifier: call.name }, [call.name]);
    }
    const resolved = run!.resolveRef(call);
    if ('error' in resolved) throw new TemplateUserError(resolved.code ?? 'ref-not-found', resolved.error, resolved.hint);
    return relationObject(resolved, run!.renderRelation, run!.quoteIdentifier);
  };
}

export function sourceFunction({ recorder, run }: ScopeInput): (...args: Args) => unknown {
  return (...args: Args): unknown => {
    const { pos } = splitArgs(args);
    if (pos.length !== 2) throw new TemplateUserError('source-invalid', `source() takes a source name and a table name; got ${pos.length} argument${pos.length === 1 ? '' : 's'}`, "write source('source_name', 'table_name')");
    const call: SourceCall = { source: String(pos[0]), table: String(pos[1]) };
    if (recorder) {
      recorder.sources.push(call);
      return parseRelation({ schema: call.source, identifier: call.table }, [call.source, call.table]);
    }
    const resolved = run!.resolveSource(call.source, call.table);
    if ('error' in resolved) throw new TemplateUserError('source-not-found', resolved.error, resolved.hint);
    return relationObject(resolved, run!.renderRelation, run!.quoteIdentifier);
  };
}

/** `config(…)` (recorded while parsing, nothing at run time) with `config.get`, `config.require` and `config.set`. */
export function configFunction({ node, recorder }: ScopeInput): ConfigFunction {
  return Object.assign(
    (...args: Args): string => {
      const { pos, kw } = splitArgs(args);
      const call = { ...((pos[0] as Record<string, unknown>) ?? {}), ...kw };
      // As dbt's ConflictingConfigKeysError: one config() call giving a hook under both spellings.
      if (hookSpelledTwice(call)) {
        const which = 'pre_hook' in call && 'pre-hook' in call ? 'pre' : 'post';
        throw new TemplateUserError('config-invalid', `config() gives both ${which}_hook and ${which}-hook: they are the same config`, `keep one of ${which}_hook and ${which}-hook`);
      }
      if (recorder) Object.assign(recorder.config, call);
      return '';
    },
    {
      get: (key: string, def?: unknown) => {
        // As dbt's ParseConfigObject: while parsing, config.get() answers '' (the final config is not known
        // yet). dbt-unit-testing relies on it: its ref() override takes the builtin ref while parsing.
        if (recorder) return '';
        const v = node.config[key];
        return v === undefined ? (def ?? null) : v;
      },
      require: (key: string) => {
        // As dbt: while parsing, config.require() checks nothing and answers '' (the final config is not known yet).
        if (recorder) return '';
        const v = node.config[key];
        if (v === undefined) throw new TemplateUserError('config-missing', `config '${key}' is required by ${node.name}`, `add {{ config(${key}=…) }}`);
        return v;
      },
      // As dbt's parse: config.set() records the value (set_sql_header's sql_header); at run time it changes nothing.
      set: (key: string, value: unknown) => {
        if (recorder) recorder.config[key] = value;
        return '';
      },
    },
  );
}

/** `var(name, default)` and `var.has(name)`; a var's text is rendered with the whole `scope` of the render. */
export function varFunction({ options, node, recorder, run }: ScopeInput, scope: () => Record<string, unknown>): ((name: string, ...rest: Args) => unknown) & { has: (name: string) => boolean } {
  // A package's node sees exactly its package's vars, at parse time as in the final render (dbt scopes both).
  // Its reads are not recorded: those vars are part of the project config, whose change voids the parse caches anyway.
  const packageScope = options.packageVars?.[node.packageName];
  const vars = packageScope ?? options.vars;
  const record = (name: string): void => {
    if (recorder && !packageScope) (recorder.vars ??= {})[name] = varDigest(vars[name]);
  };
  return Object.assign(
    (name: string, ...rest: Args): unknown => {
      const { pos } = splitArgs(rest);
      if (run?.varsOverride && name in run.varsOverride) return renderedVar(run.varsOverride[name], scope());
      record(name);
      if (name in vars) return renderedVar(vars[name], scope());
      if (pos.length) return pos[0];
      throw new TemplateUserError('var-not-found', `var('${name}') is not defined`, `add it under vars: in the project file, pass --vars '{${name}: …}', or give a default: var('${name}', …)`);
    },
    {
      has: (name: string) => {
        if (run?.varsOverride && name in run.varsOverride) return true;
        record(name);
        return name in vars;
      },
    },
  );
}

export function envVarFunction({ options, recorder }: ScopeInput): (name: string, ...rest: Args) => unknown {
  return (name: string, ...rest: Args): unknown => {
    // A parse render records the read and the parse reports it at its line (parse/secret-env-check.ts); any
    // other render would put the value into SQL that runs: refused, as dbt refuses it outside profiles and packages.
    if (!recorder && SECRET_ENV_NAME.test(name)) {
      throw new TemplateUserError('env-secret-in-sql', `env_var('${name}') would write a secret into SQL: secret env vars (DBT_ENV_SECRET_*, STRATA_ENV_SECRET_*) are allowed only in profiles.yml or packages.yml`, `use {{ secret('${name}') }}: the warehouse session gets the value and the SQL only a reference to it`);
    }
    const { pos } = splitArgs(rest);
    const v = options.env[name];
    if (recorder) (recorder.env ??= {})[name] = envDigest(v);
    if (v !== undefined) return v;
    if (pos.length) return pos[0];
    throw new TemplateUserError('env-var-not-found', `env_var('${name}') is not set and has no default`, `export ${name}=… or write env_var('${name}', 'default')`);
  };
}

/** `secret(name)`: the value goes to the warehouse session, the SQL gets only a reference to it. */
export function secretFunction({ options, recorder, run }: ScopeInput): (name: string, ...rest: Args) => string {
  return (name: string, ...rest: Args): string => {
    const { pos } = splitArgs(rest);
    const value = options.env[name] ?? (pos.length ? String(pos[0]) : undefined);
    if (value === undefined) throw new TemplateUserError('env-var-not-found', `secret('${name}') is not set in the environment and has no default`, `export ${name}=…`);
    options.onSecret?.(name, value);
    if (recorder && !recorder.secrets?.includes(name)) (recorder.secrets ??= []).push(name);
    const reference = run?.secretReference ?? options.secretReference;
    return reference ? reference(name) : `getvariable('${name}')`;
  };
}
