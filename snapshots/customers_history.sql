-- Every plan and region a customer has had: a new version whenever either changes (type-2 history).
{% snapshot customers_history %}
{{ config(schema='silver', unique_key='customer_id', strategy='check', check_cols=['plan', 'region'], hard_deletes='invalidate') }}
select customer_id, plan, region from {{ ref('customers') }}
{% endsnapshot %}
