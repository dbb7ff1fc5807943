-- Ticket counts, satisfaction and resolution time by channel, priority and status, for the dashboard.
select
    ticket_channel,
    ticket_priority,
    ticket_status,
    count(*) as tickets,
    count(satisfaction_rating) as rated_tickets,
    round(avg(satisfaction_rating), 2) as avg_satisfaction,
    round(avg(date_diff('minute', first_response_at, resolved_at)) / 60.0, 2) as avg_resolution_hours,
    count(*) filter (where email_hash is null) as tickets_without_email
from {{ ref('cleaned_customer_support') }}
group by all
order by all
