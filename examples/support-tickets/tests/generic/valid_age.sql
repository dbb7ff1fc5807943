{#- Rows whose age is present but not a whole number from 0 to 120. -#}
{% test valid_age(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and not coalesce(
      try_cast({{ column_name }} as double) between 0 and 120
      and try_cast({{ column_name }} as double) = floor(try_cast({{ column_name }} as double)),
      false)
{% endtest %}
