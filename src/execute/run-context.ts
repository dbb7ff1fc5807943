import { join } from 'node:path';
import { Compiler, type RelationIndex } from '../compile/index.js';
import { templateContext } from './template-context.js';
import type { ExistingRelation, Relation } from '../adapters/contract.js';
import type { RunProject } from './types.js';
import type { RunRenderContext } from '../templating/types.js';
import { eventTimeCondition } from '../materializations/index.js';

export interface RunCompilerOptions {
  relations: RelationIndex;
  /** What exists in the warehouse: an incremental model whose table exists renders `is_incremental()` true. */
  state: { get(relation: Relation): ExistingRelation | undefined };
  /** dbt's `selected_resources`. */
  selected: string[];
  /** `--full-refresh`; a model's `full_refresh` config overrides it. */
  fullRefresh?: boolean;
  /** Write each compiled node under this folder (`target/compiled`). */
  compiledDir?: string;
  /** `--empty`: refs and sources of models read no rows. */
  emptyInputs?: boolean;
  /** `--sample`: refs and sources with an event_time, in models and snapshots, read this window only. */
  sample?: { start: Date; end: Date };
  /** dbt's `graph` and `selected_resources` when the caller shares them with hooks; else built from `selected`. */
  context?: Pick<RunRenderContext, 'graph' | 'selectedResources' | 'storeFailures'>;
}

/**
 * The one factory of a command's compiler (run, build, compile, show, plan, lineage): the project's engine,
 * dialect, package vars and secret scrubbing, and what its templates see of the whole command (dbt's
 * `graph` and `selected_resources`). Each node's render context is then built by `runRenderContext`.
 */
export function runCompiler(p: RunProject, o: RunCompilerOptions): Compiler {
  const { relations, state } = o;
  const fullRefresh = o.fullRefresh ?? false;
  return new Compiler({
    manifest: p.graph.manifest,
    scrub: (t) => p.scrubber.scrub(t),
    engine: p.engine,
    dialect: p.adapter.dialect,
    relations,
    fullRefresh,
    packageVars: p.project.config.packageVars,
    ...(o.compiledDir ? { compiledDir: o.compiledDir, compiledPathPrefix: join(p.project.config.targetPath, 'compiled') } : {}),
    context: o.context ?? templateContext(p, o.selected),
    emptyInputs: o.emptyInputs,
    ...(o.sample ? { sampleFilter: (field: string) => eventTimeCondition(p.adapter.dialect, field, o.sample!.start, o.sample!.end) } : {}),
    isIncremental: (node) => {
      if (node.config.materialized !== 'incremental') return false;
      if (node.config.full_refresh ?? fullRefresh) return false;
      return state.get(relations.relationOf(node))?.kind === 'table';
    },
  });
}
