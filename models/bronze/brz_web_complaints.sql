-- Rows as landed from the web form's daily exports, with the landing columns kept for lineage back to the file.
select * from {{ source('landing', 'web_complaints') }}
