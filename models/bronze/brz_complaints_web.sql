-- Raw rows as received; later versions land these from Parquet files in object storage.
select * from {{ ref('raw_complaints_web') }}
