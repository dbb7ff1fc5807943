-- create schema
-- duckdb:
--   create schema if not exists "acme-prod"."silver"
-- bigquery:
create schema if not exists `acme-prod`.`silver`;

-- view
-- duckdb:
--   create or replace view "acme-prod"."gold"."fct_complaints" as (
--   select complaint_id, opened_at, status, 'it\'s' as note
--   from `acme-prod`.`silver`.`complaints`
--   where true
--   qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
--   )
-- bigquery:
create or replace view `acme-prod`.`gold`.`fct_complaints`
options(
  description = 'Complaints, one row each; it\'s documented',
  labels = [('team', 'care')]
)
as (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
);

-- table
-- duckdb:
--   create or replace table "acme-prod"."gold"."fct_complaints" as (
--   select complaint_id, opened_at, status, 'it\'s' as note
--   from `acme-prod`.`silver`.`complaints`
--   where true
--   qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
--   )
-- bigquery:
create or replace table `acme-prod`.`gold`.`fct_complaints`
as (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
);

-- table, partitioned by day, clustered, options
-- duckdb:
--   create or replace table "acme-prod"."gold"."fct_complaints" as (
--   select complaint_id, opened_at, status, 'it\'s' as note
--   from `acme-prod`.`silver`.`complaints`
--   where true
--   qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
--   )
-- bigquery:
create or replace table `acme-prod`.`gold`.`fct_complaints`
partition by timestamp_trunc(`opened_at`, day)
cluster by `status`, `complaint_id`
options(
  description = 'Facts',
  labels = [('layer', 'gold'), ('cost_center', 'cc-42')],
  require_partition_filter = true,
  partition_expiration_days = 400
)
as (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
);

-- table, partitioned by month (date)
-- duckdb:
--   create or replace table "acme-prod"."gold"."fct_complaints" as (
--   select complaint_id, opened_at, status, 'it\'s' as note
--   from `acme-prod`.`silver`.`complaints`
--   where true
--   qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
--   )
-- bigquery:
create or replace table `acme-prod`.`gold`.`fct_complaints`
partition by date_trunc(`opened_on`, month)
as (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
);

-- table, integer range partitions
-- duckdb:
--   create or replace table "acme-prod"."gold"."fct_complaints" as (
--   select complaint_id, opened_at, status, 'it\'s' as note
--   from `acme-prod`.`silver`.`complaints`
--   where true
--   qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
--   )
-- bigquery:
create or replace table `acme-prod`.`gold`.`fct_complaints`
partition by range_bucket(`customer_id`, generate_array(0, 100000, 1000))
as (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
);

-- drop table
-- duckdb:
--   drop table if exists "acme-prod"."gold"."fct_complaints"
-- bigquery:
drop table if exists `acme-prod`.`gold`.`fct_complaints`;

-- drop view
-- duckdb:
--   drop view if exists "acme-prod"."gold"."fct_complaints"
-- bigquery:
drop view if exists `acme-prod`.`gold`.`fct_complaints`;

-- rename
-- duckdb:
--   alter table "acme-prod"."gold"."fct_complaints__strata_tmp" rename to "fct_complaints"
-- bigquery:
alter table `acme-prod`.`gold`.`fct_complaints__strata_tmp` rename to `fct_complaints`;

-- insert (append)
-- duckdb:
--   insert into "acme-prod"."gold"."fct_complaints" ("complaint_id", "opened_at", "status")
--   select "complaint_id", "opened_at", "status" from (
--   select * from "acme-prod"."gold"."fct_complaints__strata_tmp"
--   ) as DBT_INTERNAL_SOURCE
-- bigquery:
insert into `acme-prod`.`gold`.`fct_complaints` (`complaint_id`, `opened_at`, `status`)
select `complaint_id`, `opened_at`, `status` from (
select * from `acme-prod`.`gold`.`fct_complaints__strata_tmp`
) as DBT_INTERNAL_SOURCE;

-- merge on a key
-- duckdb:
--   merge into "acme-prod"."gold"."fct_complaints" as DBT_INTERNAL_DEST
--   using "acme-prod"."gold"."fct_complaints__strata_tmp" as DBT_INTERNAL_SOURCE
--   on DBT_INTERNAL_DEST."complaint_id" = DBT_INTERNAL_SOURCE."complaint_id"
--   when matched then update set "complaint_id" = DBT_INTERNAL_SOURCE."complaint_id", "opened_at" = DBT_INTERNAL_SOURCE."opened_at", "status" = DBT_INTERNAL_SOURCE."status"
--   when not matched then insert ("complaint_id", "opened_at", "status") values (DBT_INTERNAL_SOURCE."complaint_id", DBT_INTERNAL_SOURCE."opened_at", DBT_INTERNAL_SOURCE."status")
-- bigquery:
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`
when matched then update set `complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`, `opened_at` = DBT_INTERNAL_SOURCE.`opened_at`, `status` = DBT_INTERNAL_SOURCE.`status`
when not matched then insert (`complaint_id`, `opened_at`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_at`, DBT_INTERNAL_SOURCE.`status`);

-- merge on a composite key
-- duckdb:
--   merge into "acme-prod"."gold"."fct_complaints" as DBT_INTERNAL_DEST
--   using "acme-prod"."gold"."fct_complaints__strata_tmp" as DBT_INTERNAL_SOURCE
--   on DBT_INTERNAL_DEST."complaint_id" = DBT_INTERNAL_SOURCE."complaint_id" and DBT_INTERNAL_DEST."channel" = DBT_INTERNAL_SOURCE."channel"
--   when matched then update set "complaint_id" = DBT_INTERNAL_SOURCE."complaint_id", "channel" = DBT_INTERNAL_SOURCE."channel", "status" = DBT_INTERNAL_SOURCE."status"
--   when not matched then insert ("complaint_id", "channel", "status") values (DBT_INTERNAL_SOURCE."complaint_id", DBT_INTERNAL_SOURCE."channel", DBT_INTERNAL_SOURCE."status")
-- bigquery:
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id` and DBT_INTERNAL_DEST.`channel` = DBT_INTERNAL_SOURCE.`channel`
when matched then update set `complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`, `channel` = DBT_INTERNAL_SOURCE.`channel`, `status` = DBT_INTERNAL_SOURCE.`status`
when not matched then insert (`complaint_id`, `channel`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`channel`, DBT_INTERNAL_SOURCE.`status`);

-- merge updating some columns (merge_update_columns)
-- duckdb:
--   merge into "acme-prod"."gold"."fct_complaints" as DBT_INTERNAL_DEST
--   using "acme-prod"."gold"."fct_complaints__strata_tmp" as DBT_INTERNAL_SOURCE
--   on DBT_INTERNAL_DEST."complaint_id" = DBT_INTERNAL_SOURCE."complaint_id"
--   when matched then update set "status" = DBT_INTERNAL_SOURCE."status"
--   when not matched then insert ("complaint_id", "opened_at", "status") values (DBT_INTERNAL_SOURCE."complaint_id", DBT_INTERNAL_SOURCE."opened_at", DBT_INTERNAL_SOURCE."status")
-- bigquery:
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`
when matched then update set `status` = DBT_INTERNAL_SOURCE.`status`
when not matched then insert (`complaint_id`, `opened_at`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_at`, DBT_INTERNAL_SOURCE.`status`);

-- merge inserting new keys only (every column excluded)
-- duckdb:
--   merge into "acme-prod"."gold"."fct_complaints" as DBT_INTERNAL_DEST
--   using "acme-prod"."gold"."fct_complaints__strata_tmp" as DBT_INTERNAL_SOURCE
--   on DBT_INTERNAL_DEST."complaint_id" = DBT_INTERNAL_SOURCE."complaint_id"
--   when not matched then insert ("complaint_id", "opened_at", "status") values (DBT_INTERNAL_SOURCE."complaint_id", DBT_INTERNAL_SOURCE."opened_at", DBT_INTERNAL_SOURCE."status")
-- bigquery:
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`
when not matched then insert (`complaint_id`, `opened_at`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_at`, DBT_INTERNAL_SOURCE.`status`);

-- delete+insert: delete
-- duckdb:
--   delete from "acme-prod"."gold"."fct_complaints" as DBT_INTERNAL_DEST where ("complaint_id", "channel") in (select distinct "complaint_id", "channel" from "acme-prod"."gold"."fct_complaints__strata_tmp")
-- bigquery:
delete from `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST where exists (select 1 from `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE where DBT_INTERNAL_SOURCE.`complaint_id` = DBT_INTERNAL_DEST.`complaint_id` and DBT_INTERNAL_SOURCE.`channel` = DBT_INTERNAL_DEST.`channel`);

-- add columns
-- duckdb:
--   alter table "acme-prod"."gold"."fct_complaints" add column "sla_breached" boolean;
--   alter table "acme-prod"."gold"."fct_complaints" add column "resolution_hours" double
-- bigquery:
alter table `acme-prod`.`gold`.`fct_complaints` add column if not exists `sla_breached` BOOL, add column if not exists `resolution_hours` FLOAT64;

-- count rows
-- duckdb:
--   select count(*) as n from (
--   select complaint_id, opened_at, status, 'it\'s' as note
--   from `acme-prod`.`silver`.`complaints`
--   where true
--   qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
--   ) as strata_count
-- bigquery:
select count(*) as n from (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
) as strata_count;

-- freshness
-- duckdb:
--   select max(loaded_at) as max_loaded_at, (epoch(current_timestamp) - epoch(max(loaded_at))) as age_seconds from "acme-prod"."gold"."fct_complaints"
-- bigquery:
select max(loaded_at) as max_loaded_at, timestamp_diff(current_timestamp(), cast(max(loaded_at) as timestamp), second) as age_seconds from `acme-prod`.`gold`.`fct_complaints`;

-- secret reference
-- duckdb:
--   select to_hex(sha256(concat(lower(email), getvariable('STRATA_PII_PEPPER')))) as email_hash from "acme-prod"."gold"."fct_complaints"
-- bigquery:
select to_hex(sha256(concat(lower(email), @STRATA_PII_PEPPER))) as email_hash from `acme-prod`.`gold`.`fct_complaints`;

-- merge, pruned to the partitions of the new rows
-- duckdb:
--   (not on duckdb)
-- bigquery:
declare strata_partitions array<timestamp> default (
  select array_agg(distinct timestamp_trunc(`opened_at`, day)) from `acme-prod`.`gold`.`fct_complaints__strata_tmp`
);
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id` and timestamp_trunc(DBT_INTERNAL_DEST.`opened_at`, day) in unnest(strata_partitions)
when matched then update set `complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`, `opened_at` = DBT_INTERNAL_SOURCE.`opened_at`, `status` = DBT_INTERNAL_SOURCE.`status`
when not matched then insert (`complaint_id`, `opened_at`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_at`, DBT_INTERNAL_SOURCE.`status`);

-- merge, pruned, monthly date partitions
-- duckdb:
--   (not on duckdb)
-- bigquery:
declare strata_partitions array<date> default (
  select array_agg(distinct date_trunc(`opened_on`, month)) from `acme-prod`.`gold`.`fct_complaints__strata_tmp`
);
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id` and date_trunc(DBT_INTERNAL_DEST.`opened_on`, month) in unnest(strata_partitions)
when matched then update set `complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`, `opened_on` = DBT_INTERNAL_SOURCE.`opened_on`
when not matched then insert (`complaint_id`, `opened_on`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_on`);

-- merge, pruned, integer ranges
-- duckdb:
--   (not on duckdb)
-- bigquery:
declare strata_partitions array<int64> default (
  select array_agg(distinct `customer_id`) from `acme-prod`.`gold`.`fct_complaints__strata_tmp`
);
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on DBT_INTERNAL_DEST.`complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id` and DBT_INTERNAL_DEST.`customer_id` in unnest(strata_partitions)
when matched then update set `complaint_id` = DBT_INTERNAL_SOURCE.`complaint_id`, `customer_id` = DBT_INTERNAL_SOURCE.`customer_id`
when not matched then insert (`complaint_id`, `customer_id`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`customer_id`);

-- insert_overwrite, dynamic partitions
-- duckdb:
--   (not on duckdb)
-- bigquery:
declare strata_partitions array<timestamp> default (
  select array_agg(distinct timestamp_trunc(`opened_at`, day)) from `acme-prod`.`gold`.`fct_complaints__strata_tmp`
);
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on false
when not matched by source and timestamp_trunc(DBT_INTERNAL_DEST.`opened_at`, day) in unnest(strata_partitions) then delete
when not matched then insert (`complaint_id`, `opened_at`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_at`, DBT_INTERNAL_SOURCE.`status`);

-- insert_overwrite, static partitions
-- duckdb:
--   (not on duckdb)
-- bigquery:
declare strata_partitions array<timestamp> default [timestamp('2026-01-01'), timestamp('2026-01-02')];
merge into `acme-prod`.`gold`.`fct_complaints` as DBT_INTERNAL_DEST
using `acme-prod`.`gold`.`fct_complaints__strata_tmp` as DBT_INTERNAL_SOURCE
on false
when not matched by source and timestamp_trunc(DBT_INTERNAL_DEST.`opened_at`, day) in unnest(strata_partitions) then delete
when not matched then insert (`complaint_id`, `opened_at`, `status`) values (DBT_INTERNAL_SOURCE.`complaint_id`, DBT_INTERNAL_SOURCE.`opened_at`, DBT_INTERNAL_SOURCE.`status`);

-- column description
-- duckdb:
--   (not on duckdb)
-- bigquery:
alter table `acme-prod`.`gold`.`fct_complaints` alter column `status` set options(description = 'normalised: \'open\', \'closed\'…');

-- temp table
-- duckdb:
--   (not on duckdb)
-- bigquery:
create temp table `fct_complaints__strata_tmp`
as (
select complaint_id, opened_at, status, 'it\'s' as note
from `acme-prod`.`silver`.`complaints`
where true
qualify row_number() over (partition by complaint_id order by opened_at desc) = 1
);

-- external table, hive partitions
-- duckdb:
--   (not on duckdb)
-- bigquery:
create or replace external table `acme-prod`.`gold`.`fct_complaints`
with partition columns
options(format = 'PARQUET', uris = ['gs://drop/calls/*'], hive_partition_uri_prefix = 'gs://drop/calls/');

-- external table, csv
-- duckdb:
--   (not on duckdb)
-- bigquery:
create or replace external table `acme-prod`.`gold`.`fct_complaints`
options(format = 'CSV', uris = ['gs://drop/calls/*'], skip_leading_rows = 1);
