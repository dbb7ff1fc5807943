-- One row per customer for the churn model: missing values imputed (median for numbers, mode for
-- categories, computed over this load), the customer id replaced by an anonymous id, features derived.
{%- set numbers = ['tenure', 'monthly_charges', 'total_charges'] %}
{%- set categories = ['gender', 'contract', 'payment_method'] %}

with customers as (
    select * from {{ ref('customers_typed') }}
),

fill as (
    select
        {%- for c in numbers %}
        median({{ c }}) as {{ c }},
        {%- endfor %}
        {%- for c in categories %}
        mode({{ c }}) as {{ c }}{{ ',' if not loop.last }}
        {%- endfor %}
    from customers
),

imputed as (
    select
        customers.* replace (
            {%- for c in numbers + categories %}
            coalesce(customers.{{ c }}, {{ 'cast(round(fill.tenure) as integer)' if c == 'tenure' else 'fill.' ~ c }}) as {{ c }}{{ ',' if not loop.last }}
            {%- endfor %}
        ),
        ({% for c in numbers + categories %}(customers.{{ c }} is null)::int{{ ' + ' if not loop.last }}{% endfor %}) as imputed_values
    from customers cross join fill
)

select
    {{ anonymous_customer_id('customer_id') }} as anonymous_id,
    * exclude (customer_id, churned, loaded_at),
    churned::int as churn_flag,
    case when monthly_charges < 35 then 'Low' when monthly_charges < 70 then 'Medium' else 'High' end as monthly_charges_band,
    case when tenure < 12 then 'New' when tenure < 48 then 'Medium' else 'Long' end as tenure_band,
    loaded_at,
    current_timestamp as processed_at
from imputed
