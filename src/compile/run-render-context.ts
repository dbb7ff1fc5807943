import type { Dialect, Relation } from '../adapters/contract.js';
import type { ManifestNode, RefCall, SourceDefinition } from '../parse/types.js';
import type { RunRenderContext, TemplateWarehouse } from '../templating/types.js';
import type { RelationIndex } from './relations.js';

type Resolved = Relation | { error: string; hint?: string };

/** How a run render finds what `ref()` and `source()` name. */
export interface RunResolver {
  ref(ref: RefCall): Resolved;
  source(source: string, table: string): Resolved;
}

/**
 * ref/source through the project's relations, from `fromPackage` (a package's own models come first).
 * `place` turns a found node into what the template reads (the compiler's ephemeral CTE names and `--empty` reads).
 */
export function indexResolver(relations: RelationIndex, fromPackage?: string, place: (found: ManifestNode | SourceDefinition) => Relation = (n) => relations.relationOf(n)): RunResolver {
  return {
    ref: (ref) => {
      const t = relations.resolveRef(ref, fromPackage);
      return 'error' in t ? t : place(t);
    },
    source: (s, t) => {
      const src = relations.resolveSource(s, t);
      return 'error' in src ? src : place(src);
    },
  };
}

export interface RunRenderInput {
  /** Quotes relations and identifiers (the target's dialect; the embedded one's for its unit tests). */
  dialect: Pick<Dialect, 'renderRelation' | 'quoteIdentifier'>;
  thisRelation: Relation;
  resolver: RunResolver;
  warehouse?: TemplateWarehouse;
  isIncremental?: boolean;
  fullRefresh?: boolean;
}

/**
 * The one factory of a run render's context: a model or test compiled, a hook, an operation, a unit test.
 * `more` sets what only some renders have (dbt's `graph`, `selected_resources`, vars overrides, extra names).
 */
export function runRenderContext(input: RunRenderInput, more: Partial<RunRenderContext> = {}): RunRenderContext {
  const { dialect, resolver } = input;
  return {
    thisRelation: input.thisRelation,
    renderRelation: (r) => dialect.renderRelation(r),
    quoteIdentifier: (n) => dialect.quoteIdentifier(n),
    resolveRef: (ref) => resolver.ref(ref),
    resolveSource: (s, t) => resolver.source(s, t),
    isIncremental: input.isIncremental ?? false,
    fullRefresh: input.fullRefresh ?? false,
    ...(input.warehouse ? { warehouse: input.warehouse } : {}),
    ...more,
  };
}
