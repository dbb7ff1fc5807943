-- One row per ticket, PII protected, typed and validated. Incremental: each run reads only the rows
-- landed after the last run's watermark (the newest load time already here) and merges them by ticket id,
-- so a ticket exported again with a new status replaces its earlier row.
{{ config(materialized='incremental', unique_key='ticket_id') }}

with batch as (
    select *
    from {{ source('helpdesk', 'raw_customer_support') }}
    where nullif(trim(ticket_id), '') is not null
    {% if is_incremental() %}
      and _strata_loaded_at > (select max(loaded_at) from {{ this }})
    {% endif %}
),

latest as (
    -- Files are named by their hour: the latest export of a ticket wins; re-sent duplicates collapse.
    select *, try_cast(customer_age as double) as age_number
    from batch
    qualify row_number() over (partition by trim(ticket_id) order by _strata_source_file desc) = 1
)

select
    cast(trim(ticket_id) as integer) as ticket_id,
    {{ mask_name('customer_name') }} as customer_name_masked,
    {{ hash_email('customer_email') }} as email_hash,
    case when age_number between 0 and 120 and age_number = floor(age_number)
         then cast(age_number as integer) end as customer_age,
    coalesce(nullif(trim(customer_gender), ''), 'Unknown') as customer_gender,
    trim(product_purchased) as product_purchased,
    try_cast(date_of_purchase as date) as date_of_purchase,
    coalesce(nullif(trim(ticket_type), ''), 'Unknown') as ticket_type,
    coalesce(nullif(trim(ticket_subject), ''), 'Unknown') as ticket_subject,
    ticket_description,
    lower(trim(ticket_status)) as ticket_status,
    coalesce(nullif(trim(resolution), ''), 'Unresolved') as resolution,
    coalesce(nullif(trim(ticket_priority), ''), 'Unknown') as ticket_priority,
    coalesce(nullif(trim(ticket_channel), ''), 'Unknown') as ticket_channel,
    {{ parse_export_timestamp('first_response_time') }} as first_response_at,
    {{ parse_export_timestamp('time_to_resolution') }} as resolved_at,
    case when try_cast(customer_satisfaction_rating as integer) between 1 and 5
         then try_cast(customer_satisfaction_rating as integer) end as satisfaction_rating,
    _strata_source_file as source_file,
    _strata_loaded_at as loaded_at
from latest
