import type { MacroFile } from '../templating/types.js';

/** dbt's built-in generic tests (SQL as in dbt's global project), plus `get_where_subquery` for `where:`. */
export const builtinTestMacros: MacroFile[] = [
  {
    path: 'strata/builtins/generic-tests.sql',
    packageName: 'dbt',
    contents: `{% macro get_where_subquery(relation) -%}
{%- set where = config.get('where') -%}
{%- if where -%}{%- set filtered -%}(select * from {{ relation }} where {{ where }}) dbt_subquery{%- endset -%}{%- do return(filtered) -%}{%- else -%}{%- do return(relation) -%}{%- endif -%}
{%- endmacro %}

{% test not_null(model, column_name) %}
{#- As dbt's: stored failures keep the whole row. -#}
select {{ '*' if should_store_failures() else column_name }}
from {{ model }}
where {{ column_name }} is null
{% endtest %}

{% test unique(model, column_name) %}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{% endtest %}

{% test accepted_values(model, column_name, values, quote=True) %}
with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field not in (
    {% for value in values -%}
        {% if quote -%}'{{ value }}'{%- else -%}{{ value }}{%- endif -%}
        {%- if not loop.last -%},{%- endif %}
    {%- endfor %}
)
{% endtest %}

{% test relationships(model, column_name, to, field) %}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select from_field
from child
left join parent
    on child.from_field = parent.to_field
where parent.to_field is null
{% endtest %}
`,
  },
];

/** Tests whose failing rows can be filtered out row by row (quarantine). */
export const ROW_LEVEL_TESTS = new Set(['not_null', 'accepted_values', 'relationships']);
