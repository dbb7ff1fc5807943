-- Conformed customers with PII protected: no full names, raw e-mail addresses or raw phone numbers leave
-- bronze. Re-sent rows collapse; a row without a customer id is quarantined (customers__quarantine).
-- Incremental: a run reads only the rows landed since the last one (the export is static, so after the
-- first run that is usually none), and a customer's newer row replaces the older. batch_ds: the day
-- of the daily run that wrote the row (the tests in schema.yml check that run's rows).
{{ config(materialized='incremental', unique_key='customer_id', quarantine=true, on_schema_change='append_new_columns') }}

with deduplicated as (
    select customer_id, full_name, email, phone, plan, region, signup_date, updated_at, max(_strata_loaded_at) as loaded_at
    from {{ ref('brz_customers') }}
    {% if is_incremental() %}
    where _strata_loaded_at > coalesce((select max(loaded_at) from {{ this }}), cast('1900-01-01' as timestamp))
    {% endif %}
    group by customer_id, full_name, email, phone, plan, region, signup_date, updated_at
)

select
    cast(customer_id as integer) as customer_id,
    {{ mask_name('full_name') }} as customer_name_masked,
    {{ hash_email('email') }} as email_hash,
    {{ matches_pattern('lower(trim(email))', '^[^@ ]+@[^@ ]+[.][a-z]+$') }} as email_is_valid,
    {{ standardize_phone('phone') }} as phone_e164,
    lower(trim(plan)) as plan,
    lower(trim(region)) as region,
    cast(signup_date as date) as signup_date,
    cast(updated_at as timestamp) as updated_at,
    loaded_at,
    {{ batch_ds() }} as batch_ds
from deduplicated
