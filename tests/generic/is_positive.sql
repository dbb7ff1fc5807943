{% test is_positive(model, column_name) %}
-- Rows where the column is zero or negative (nulls pass).
select {{ column_name }}
from {{ model }}
where {{ column_name }} <= 0
{% endtest %}
