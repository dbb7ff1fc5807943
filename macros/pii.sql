{#- PII protection for silver: names keep their first letter, e-mails become a peppered SHA-256. -#}

{% macro mask_name(column) -%}
    case when {{ column }} is null then null else left(trim({{ column }}), 1) || '***' end
{%- endmacro %}

{% macro hash_email(column) -%}
    {#- secret() reads the pepper from the environment and hands it to the warehouse session:
        the SQL only says getvariable('STRATA_PII_PEPPER'). The default is for the demo only. -#}
    {%- set pepper = secret('STRATA_PII_PEPPER', 'demo-pepper-not-secret') -%}
    {{ adapter.dispatch('sha256_hex', 'complaints')("lower(trim(" ~ column ~ ")) || " ~ pepper) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro bigquery__sha256_hex(expression) -%}
    to_hex(sha256({{ expression }}))
{%- endmacro %}
