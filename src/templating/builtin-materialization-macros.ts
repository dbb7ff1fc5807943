import type { MacroFile } from './types.js';

/**
 * dbt's global-project macros that `{% materialization %}` blocks call besides the relation macros
 * (builtin-macros.ts): hooks (and `before_begin` / `after_commit`, which make a hook that runs outside the
 * model's transaction: as dbt-core's `run_hooks`, the first of them commits the transaction the block opened),
 * revoking, and the documentation and grant steps. Package `dbt`. `persist_docs`
 * does nothing (Strata applies column docs in its own materializations only); `apply_grants` does nothing
 * outside a block, where materialization-call.ts gives the real one.
 */
export const materializationMacroFile: MacroFile = {
  path: 'strata/builtins/materialization-helpers.sql',
  packageName: 'dbt',
  contents: `{% macro run_hooks(hooks, inside_transaction=True) -%}
{%- for hook in hooks if hook.transaction == inside_transaction -%}
{%- if not inside_transaction and loop.first %}{% do adapter.commit() %}{% endif -%}
{%- set rendered = render(hook.sql) | trim -%}
{%- if rendered | length > 0 -%}{% call statement(auto_begin=inside_transaction, hook=hook) %}{{ rendered }}{% endcall %}{%- endif -%}
{%- endfor -%}
{%- endmacro %}
{% macro make_hook_config(sql, inside_transaction) -%}{{ tojson({'sql': sql, 'transaction': inside_transaction}) }}{%- endmacro %}
{% macro before_begin(sql) -%}{{ make_hook_config(sql, inside_transaction=False) }}{%- endmacro %}
{% macro in_transaction(sql) -%}{{ make_hook_config(sql, inside_transaction=True) }}{%- endmacro %}
{% macro after_commit(sql) -%}{{ make_hook_config(sql, inside_transaction=False) }}{%- endmacro %}
{% macro should_revoke(existing_relation, full_refresh_mode=True) -%}
{%- if not existing_relation -%}{{ return(False) }}{%- endif -%}
{{ return(True) }}
{%- endmacro %}
{% macro copy_grants() -%}{{ return(True) }}{%- endmacro %}
{% macro set_sql_header(config) -%}{{ config.set('sql_header', caller()) }}{%- endmacro %}
{% macro apply_grants(relation, grant_config, should_revoke=True) -%}{%- endmacro %}
{% macro persist_docs(relation, model, for_relation=True, for_columns=True) -%}{%- endmacro %}
{% macro drop_relation(relation) -%}{% do adapter.drop_relation(relation) %}{%- endmacro %}
{% macro rename_relation(from_relation, to_relation) -%}{% do adapter.rename_relation(from_relation, to_relation) %}{%- endmacro %}
`,
};
