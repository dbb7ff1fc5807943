-- Record counts: every ticket id that was landed is in the cleaned table once, and the mart counts
-- every cleaned ticket. Returns a row per mismatch.
with counts as (
    select
        (select count(distinct trim(ticket_id)) from {{ source('helpdesk', 'raw_customer_support') }}
          where nullif(trim(ticket_id), '') is not null) as landed_tickets,
        (select count(*) from {{ ref('cleaned_customer_support') }}) as cleaned_tickets,
        (select sum(tickets) from {{ ref('ticket_summary') }}) as summarised_tickets
)
select * from counts
where landed_tickets <> cleaned_tickets or cleaned_tickets <> summarised_tickets
