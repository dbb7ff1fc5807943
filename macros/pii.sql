{#- PII protection for silver: names keep their first letter, e-mails become a peppered SHA-256. -#}

{% macro mask_name(column) -%}
    case when {{ column }} is null then null else left(trim({{ column }}), 1) || '***' end
{%- endmacro %}

{% macro hash_email(column) -%}
    {#- secret() reads the pepper from the environment and hands it to the warehouse session:
        the SQL only says getvariable('STRATA_PII_PEPPER'). The default is for DuckDB development
        targets only: any other target (BigQuery, production) refuses to build without a real pepper. -#}
    {%- if (target.type != 'duckdb' or target.name == 'prod') and env_var('STRATA_PII_PEPPER', '') == '' -%}
        {{ exceptions.raise_compiler_error("STRATA_PII_PEPPER is not set: the '" ~ target.name ~ "' target needs a real pepper to hash e-mails (export STRATA_PII_PEPPER=…)") }}
    {%- endif -%}
    {%- set pepper = secret('STRATA_PII_PEPPER', 'demo-pepper-not-secret') -%}
    {{ adapter.dispatch('sha256_hex', 'complaints')("lower(trim(" ~ column ~ ")) || " ~ pepper) }}
{%- endmacro %}

{#- '+31 6 1234 5678', '06-12345678' → '+31612345678'; anything else (n/a, too short) → null -#}
{% macro standardize_phone(column) -%}
    case
        when {{ digits_only(column) }} like '06%' and length({{ digits_only(column) }}) = 10
            then '+31' || substr({{ digits_only(column) }}, 2)
        when {{ digits_only(column) }} like '316%' and length({{ digits_only(column) }}) = 11
            then '+' || {{ digits_only(column) }}
    end
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro bigquery__sha256_hex(expression) -%}
    to_hex(sha256({{ expression }}))
{%- endmacro %}
