{#- Channels spell statuses differently ("In progress", " BACKLOG", "in-progress", "Closed"): map them to
    the platform's vocabulary, backlog → in_progress → resolved. -#}
{% macro normalize_status(column) -%}
    {%- set canonical = {
        'backlog': 'backlog',
        'new': 'backlog',
        'open': 'backlog',
        'in_progress': 'in_progress',
        'pending': 'in_progress',
        'resolved': 'resolved',
        'closed': 'resolved'
    } -%}
    case replace(replace(lower(trim({{ column }})), ' ', '_'), '-', '_')
    {%- for raw, status in canonical.items() %}
        when '{{ raw }}' then '{{ status }}'
    {%- endfor %}
        else 'unknown'
    end
{%- endmacro %}
