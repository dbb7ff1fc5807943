select
    customer_id,
    customer_name_masked,
    email_hash,
    plan,
    region,
    signup_date,
    plan in ('business', 'postpaid_plus') as is_premium
from {{ ref('customers') }}
