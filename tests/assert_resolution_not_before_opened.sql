{#- As fct_complaints' tests in schema.yml: a daily run tests the complaints that changed on its day (the rows
    its merge wrote; the others were tested on the day they last changed), a build without ds every row. #}
-- A complaint cannot be resolved before it was opened.
select complaint_id, opened_at, resolved_at
from {{ ref('fct_complaints') }}
where resolved_at < opened_at
{%- if var('ds', '') %}
  and cast(last_changed_at as date) = date '{{ var('ds') }}'
{%- endif %}
