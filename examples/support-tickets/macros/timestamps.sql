{#- The helpdesk writes timestamps as ISO ('2026-03-02 08:16:58') or day-first ('02/03/2026 08:16'). -#}
{% macro parse_export_timestamp(column) -%}
    coalesce(
        try_strptime(trim({{ column }}), '%Y-%m-%d %H:%M:%S'),
        try_strptime(trim({{ column }}), '%d/%m/%Y %H:%M')
    )
{%- endmacro %}
