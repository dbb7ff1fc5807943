-- The staging rows typed: blanks (TotalCharges is ' ' in a customer's first month) become nulls.
{{ config(materialized='ephemeral') }}

select
    trim(customerID) as customer_id,
    nullif(trim(gender), '') as gender,
    try_cast(SeniorCitizen as integer) = 1 as senior_citizen,
    nullif(trim(Partner), '') = 'Yes' as partner,
    nullif(trim(Dependents), '') = 'Yes' as dependents,
    try_cast(nullif(trim(tenure), '') as integer) as tenure,
    {%- for column in ['PhoneService', 'MultipleLines', 'InternetService', 'OnlineSecurity', 'OnlineBackup', 'DeviceProtection', 'TechSupport', 'StreamingTV', 'StreamingMovies'] %}
    nullif(trim({{ column }}), '') as {{ column | lower }},
    {%- endfor %}
    nullif(trim(Contract), '') as contract,
    nullif(trim(PaperlessBilling), '') = 'Yes' as paperless_billing,
    nullif(trim(PaymentMethod), '') as payment_method,
    try_cast(nullif(trim(MonthlyCharges), '') as double) as monthly_charges,
    try_cast(nullif(trim(TotalCharges), '') as double) as total_charges,
    trim(Churn) = 'Yes' as churned,
    _strata_loaded_at as loaded_at
from {{ source('staging', 'telco_churn') }}
