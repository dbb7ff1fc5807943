{#- Rows whose satisfaction rating is present but not a whole number from 1 to 5. -#}
{% test valid_rating(model, column_name) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and coalesce(try_cast({{ column_name }} as integer) not between 1 and 5, true)
{% endtest %}
