-- Rows as landed from the daily call logs, with the landing columns kept for lineage back to the file.
select * from {{ source('landing', 'call_logs') }}
