-- Conformed customers with PII protected: no full names or raw e-mail addresses leave bronze.
select
    cast(customer_id as integer) as customer_id,
    {{ mask_name('full_name') }} as customer_name_masked,
    {{ hash_email('email') }} as email_hash,
    lower(trim(plan)) as plan,
    lower(trim(region)) as region,
    cast(signup_date as date) as signup_date
from {{ ref('brz_customers') }}
