select
    upper(category_code) as category_code,
    category_name,
    cast(sla_hours as integer) as sla_hours
from {{ ref('brz_complaint_categories') }}
