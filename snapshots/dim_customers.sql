-- Customers as a type-2 dimension: a new version whenever the CRM export's updated_at moves on.
{% snapshot dim_customers %}
{{ config(schema='gold', unique_key='customer_id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select customer_id, customer_name_masked, email_hash, email_is_valid, phone_e164, plan, region, signup_date, updated_at
from {{ ref('customers') }}
{% endsnapshot %}
