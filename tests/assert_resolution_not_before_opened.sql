-- A complaint cannot be resolved before it was opened.
select complaint_id, opened_at, resolved_at
from {{ ref('fct_complaints') }}
where resolved_at < opened_at
