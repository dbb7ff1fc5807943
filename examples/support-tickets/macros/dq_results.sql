{#- on-run-end: one row per data-quality check of this run into mart.dq_results (kept across runs). -#}
{% macro record_dq_results(results) %}
    {%- if execute -%}
    create schema if not exists mart;
    create table if not exists mart.dq_results (
        invocation_id varchar,
        run_started_at timestamptz,
        test_name varchar,
        test_id varchar,
        status varchar,
        failures bigint,
        execution_seconds double
    );
    {%- set tests = [] -%}
    {%- for r in results if r.node.resource_type == 'test' -%}
        {%- do tests.append(r) -%}
    {%- endfor -%}
    {%- if tests %}
    insert into mart.dq_results values
    {%- for r in tests %}
        ('{{ invocation_id }}', '{{ run_started_at }}', '{{ r.node.name }}', '{{ r.node.unique_id }}', '{{ r.status }}',
         {{ r.failures if r.failures is not none else 'null' }}, {{ r.execution_time }}){{ ',' if not loop.last }}
    {%- endfor %};
    {%- endif %}
    {%- endif -%}
{% endmacro %}
