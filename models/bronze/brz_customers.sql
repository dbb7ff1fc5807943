-- Rows as landed from the customers export, with the landing columns (_strata_source_file, _strata_loaded_at,
-- _strata_invocation_id) kept for lineage back to the file.
select * from {{ source('landing', 'customers') }}
