/** A model node and run context with nothing to resolve: for tests that render macros alone (cross-database macros). */
import type { RenderNode, RunRenderContext, TemplateWarehouse } from '../templating/types.js';

export const BARE_NODE: RenderNode = { uniqueId: 'model.p.m', name: 'm', resourceType: 'model', packageName: 'p', file: 'models/m.sql', fqn: ['p', 'm'], config: {} };

/** The run context of `BARE_NODE`: relations as `schema.identifier`, no refs or sources; `warehouse` answers run_query. */
export function bareRunContext(warehouse?: TemplateWarehouse): RunRenderContext {
  return {
    thisRelation: { schema: 'main', identifier: 'm' },
    renderRelation: (r) => `${r.schema}.${r.identifier}`,
    quoteIdentifier: (n) => n,
    resolveRef: () => ({ error: 'no refs here' }),
    resolveSource: () => ({ error: 'no sources here' }),
    isIncremental: false,
    fullRefresh: false,
    ...(warehouse ? { warehouse } : {}),
  };
}

/**
 * A run context whose refs and sources resolve to themselves, quoted as DuckDB writes them: `ref('x')` is
 * `"main"."x"`, `source('s', 't')` is `"s"."t"`. `overrides` replaces any part (a warehouse, is_incremental).
 */
export function quotedRunContext(overrides: Partial<RunRenderContext> = {}): RunRenderContext {
  return {
    thisRelation: { schema: 'main', identifier: 'm' },
    renderRelation: (r) => `"${r.schema}"."${r.identifier}"`,
    quoteIdentifier: (n) => `"${n}"`,
    resolveRef: (r) => ({ schema: 'main', identifier: r.name }),
    resolveSource: (s, t) => ({ schema: s, identifier: t }),
    isIncremental: false,
    fullRefresh: false,
    ...overrides,
  };
}
