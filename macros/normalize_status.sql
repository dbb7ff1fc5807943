{#- Channels spell statuses differently ("In progress", " CLOSED", "in_progress"): map them to one vocabulary. -#}
{% macro normalize_status(column) -%}
    {%- set canonical = {
        'open': 'open',
        'new': 'open',
        'in_progress': 'in_progress',
        'pending': 'in_progress',
        'resolved': 'resolved',
        'closed': 'closed'
    } -%}
    case replace(lower(trim({{ column }})), ' ', '_')
    {%- for raw, status in canonical.items() %}
        when '{{ raw }}' then '{{ status }}'
    {%- endfor %}
        else 'unknown'
    end
{%- endmacro %}
