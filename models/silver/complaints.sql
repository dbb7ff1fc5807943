{#- quarantine: rows failing this model's row-level tests (orphan customer or agent ids, unknown
    statuses) are moved to complaints__quarantine instead of flowing into gold. -#}
{{ config(materialized='table', quarantine=true) }}

{#- Three channels, three shapes: conform them, then keep one row per complaint. -#}
{%- set channels = ['web', 'call_center', 'email'] -%}

with web as (
    select
        'web' as channel,
        ticket_id as complaint_id,
        cast(customer_id as integer) as customer_id,
        cast(submitted_at as timestamp) as opened_at,
        upper(category) as category_code,
        {{ normalize_status('status') }} as status,
        agent_id,
        cast(resolved_at as timestamp) as resolved_at,
        coalesce(cast(resolved_at as timestamp), cast(submitted_at as timestamp)) as updated_at
    from {{ ref('brz_complaints_web') }}
),

call_center as (
    select
        'call_center' as channel,
        call_ref as complaint_id,
        cast(cust_no as integer) as customer_id,
        {{ parse_day_first_timestamp('call_start') }} as opened_at,
        upper(reason_code) as category_code,
        {{ normalize_status('outcome') }} as status,
        handled_by as agent_id,
        {{ parse_day_first_timestamp('closed_on') }} as resolved_at,
        coalesce(
            {{ parse_day_first_timestamp('closed_on') }},
            {{ parse_day_first_timestamp('call_start') }}
        ) as updated_at
    from {{ ref('brz_complaints_call_center') }}
),

email as (
    select
        'email' as channel,
        message_id as complaint_id,
        cast(from_customer as integer) as customer_id,
        {{ timestamp_from_epoch('received_epoch') }} as opened_at,
        upper(topic) as category_code,
        {{ normalize_status('state') }} as status,
        assignee as agent_id,
        {{ timestamp_from_epoch('resolved_epoch') }} as resolved_at,
        cast(updated_at as timestamp) as updated_at
    from {{ ref('brz_complaints_email') }}
),

unioned as (
    {% for channel in channels -%}
    select * from {{ channel }}
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}
),

deduplicated as (
    select *
    from unioned
    where opened_at >= cast('{{ var("complaints_start_date") }}' as timestamp)
    qualify row_number() over (partition by complaint_id order by updated_at desc) = 1
)

select * from deduplicated
