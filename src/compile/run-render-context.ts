import type { Dialect, Relation } from '../adapters/contract.js';
import type { ManifestNode, RefCall, SourceDefinition } from '../parse/types.js';
import type { RunRenderContext, TemplateWarehouse } from '../templating/types.js';
import type { RelationIndex } from './relations.js';

type Resolved = Relation | { error: string; hint?: string; code?: string };

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

/**
 * dbt's check of a node's refs at run time: each must be one its parse found (in `depends_on`), else the node
 * could run before what it reads. A ref the parse cannot see (inside `{% if execute %}`, an `is_incremental()`
 * block, a statement's body) needs a `-- depends_on:` hint, as dbt says.
 */
export function parsedRefsOnly(resolver: RunResolver, relations: RelationIndex, node: ManifestNode): RunResolver {
  return {
    ...resolver,
    ref: (ref) => {
      const found = relations.findRef(ref, node.packageName);
      if (!found || node.dependsOn.nodes.includes(found.uniqueId)) return resolver.ref(ref);
      const args = [...(ref.package ? [ref.package] : []), ref.name].map((a) => `'${a}'`).join(', ') + (ref.version !== undefined ? `, v=${JSON.stringify(ref.version)}` : '');
      return {
        code: 'ref-not-inferred',
        error: `Strata was unable to infer all dependencies for the ${node.resourceType} "${node.name}": ref(${args}) was not seen when the project was parsed (it is in a block that does not run at parse time, such as {% if execute %} or {% if is_incremental() %})`,
        hint: `add this line at the top of ${node.originalFilePath}: -- depends_on: {{ ref(${args}) }}`,
      };
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
