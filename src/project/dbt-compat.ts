/** The dbt version Strata follows: artifacts' `dbt_version` (readers branch on it) and templates' `dbt_version`. */
export const DBT_COMPAT_VERSION = '1.8.0';
