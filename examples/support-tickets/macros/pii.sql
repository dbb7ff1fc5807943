{#- PII protection: names keep their first letter, e-mails become a peppered SHA-256. -#}

{% macro mask_name(column) -%}
    case when nullif(trim({{ column }}), '') is null then null else left(trim({{ column }}), 1) || '***' end
{%- endmacro %}

{% macro pii_pepper() -%}
    {#- The pepper comes from the environment. DuckDB dev targets may fall back to a documented,
        non-secret default; the production target refuses to build without it. secret() hands the value
        to the warehouse session, so the compiled SQL only says getvariable('SUPPORT_PII_PEPPER'). -#}
    {%- if target.name == 'prod' and env_var('SUPPORT_PII_PEPPER', '') == '' -%}
        {{ exceptions.raise_compiler_error("SUPPORT_PII_PEPPER is not set: the '" ~ target.name ~ "' target needs a real pepper to hash e-mails (export SUPPORT_PII_PEPPER=…)") }}
    {%- endif -%}
    {{ secret('SUPPORT_PII_PEPPER', 'dev-pepper-not-secret') }}
{%- endmacro %}

{% macro hash_email(column) -%}
    {#- Lower-cased and trimmed first; an address without '@' is not an address and hashes to null. -#}
    case when regexp_matches(lower(trim({{ column }})), '^[^@\s]+@[^@\s]+\.[a-z]+$')
         then sha256(lower(trim({{ column }})) || {{ pii_pepper() }}) end
{%- endmacro %}
