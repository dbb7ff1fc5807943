import type { ManifestNode } from '../parse/types.js';
import type { StrategyMacro } from '../materializations/index.js';
import { strategyMacroOf } from '../templating/index.js';
import type { TemplateEngine } from '../templating/types.js';

/** Renders text in the node's run context, with extra names. */
export type RenderInNode = (text: string, options: { extraContext: Record<string, unknown> }) => Promise<string>;

/**
 * dbt's call of an incremental strategy's macro, `get_incremental_<strategy>_sql(arg_dict)`, where the strategy is
 * a macro's (strategyMacroOf): its `arg_dict` as dbt's incremental materialization gives it, the staging table as
 * `temp_relation` and `dest_columns` the Column objects of the columns to write (as on_schema_change decided).
 */
function callText(macro: string): string {
  return `{%- set strata_temp = api.Relation.create(database=strata_staging.database, schema=strata_staging.schema, identifier=strata_staging.identifier, type='table') -%}
{%- set strata_found = {} -%}
{%- for column in adapter.get_columns_in_relation(strata_temp) -%}{%- do strata_found.update({column.name | lower: column}) -%}{%- endfor -%}
{%- set strata_columns = [] -%}
{%- for name in strata_dest_names -%}{%- do strata_columns.append(strata_found[name | lower]) -%}{%- endfor -%}
{{ ${macro}({'target_relation': this.incorporate(type='table'), 'temp_relation': strata_temp, 'unique_key': config.get('unique_key'), 'dest_columns': strata_columns, 'incremental_predicates': config.get('predicates') or config.get('incremental_predicates')}) }}`;
}

/** The renderer of an incremental model's strategy macro, or undefined when Strata carries out its strategy itself. */
export function strategyMacroRun(engine: TemplateEngine, node: ManifestNode, builtins: readonly string[], render: RenderInNode): StrategyMacro | undefined {
  if (node.config.materialized !== 'incremental') return undefined;
  const macro = strategyMacroOf(node.config.incremental_strategy, builtins, (name) => engine.macroPackage?.(name, node.packageName));
  if (!macro) return undefined;
  return (staging, columns) => render(callText(macro), { extraContext: { strata_staging: { database: staging.database ?? null, schema: staging.schema, identifier: staging.identifier }, strata_dest_names: columns } });
}
