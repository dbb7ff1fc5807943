{#- The id that replaces a customer id in production.
    random (default): a fresh UUID per customer per run; nothing links it back, nor to the last run.
    salted_hash: sha256 of the id and a salt from the environment (CHURN_ID_SALT), the same in every run,
    so tables built at different times can be joined; keep the salt secret, or the ids can be re-derived. -#}
{% macro anonymous_customer_id(column) -%}
    {%- set strategy = var('anonymous_id', 'random') -%}
    {%- if strategy == 'salted_hash' -%}
        {%- if env_var('CHURN_ID_SALT', '') == '' -%}
            {{ exceptions.raise_compiler_error("anonymous_id is 'salted_hash' but CHURN_ID_SALT is not set: export a secret salt (the same one every run, so ids match across runs)") }}
        {%- endif -%}
        sha256({{ column }} || {{ secret('CHURN_ID_SALT') }})
    {%- elif strategy == 'random' -%}
        cast(uuid() as varchar)
    {%- else -%}
        {{ exceptions.raise_compiler_error("var anonymous_id must be 'random' or 'salted_hash', not '" ~ strategy ~ "'") }}
    {%- endif -%}
{%- endmacro %}
