/**
 * What the demo's landing files hold, counted straight from the files by DuckDB (never through Strata): the
 * figures the demo tests expect Strata to land, keep and quarantine. Deriving them here keeps the tests
 * honest when the generator changes, and independent of what Strata computes.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';

export interface LandingFigures {
  /** Files per landing source, named as in the ledger (`landing.call_logs`, …). */
  files: Record<string, number>;
  /** Data rows per landing source (re-sent duplicates included: landing keeps every row). */
  rows: Record<string, number>;
  /** Distinct non-empty customer ids in the CRM export. */
  customers: number;
  /** Distinct complaint ids across the three channels, and those whose customer is missing or unknown or whose agent is unknown. */
  complaints: number;
  orphans: number;
  /** Rows the demo's silver and gold tables should hold (`silver.complaints`, `gold.fct_complaints`, …), derived from the files. */
  tables: Record<string, number>;
}

export async function landingFigures(landingDir: string): Promise<LandingFigures> {
  const f = (p: string): string => `'${join(landingDir, p).replace(/'/g, "''")}'`;
  const sources: [string, string][] = [
    ['landing.agents', `read_csv(${f('agents/*.csv')}, header = true, all_varchar = true)`],
    ['landing.call_logs', `read_csv(${f('call_logs/*.csv')}, header = true, all_varchar = true)`],
    ['landing.customers', `read_csv(${f('customers/*.csv')}, header = true, all_varchar = true)`],
    ['landing.social_complaints', `read_json(${f('social/*.json')}, format = 'newline_delimited')`],
    ['landing.web_complaints', `read_parquet(${f('web/*.parquet')})`],
  ];
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    const one = async (sql: string): Promise<Record<string, unknown>> => ((await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[])[0]!;
    const out: LandingFigures = { files: {}, rows: {}, customers: 0, complaints: 0, orphans: 0, tables: {} };
    for (const [name, reader] of sources) {
      const r = await one(`select count(*)::int as n, count(distinct filename)::int as files from ${reader.replace(/\)$/, ', filename = true)')}`);
      out.rows[name] = Number(r.n);
      out.files[name] = Number(r.files);
    }
    out.customers = Number((await one(`select count(distinct customer_id)::int as n from ${sources[2]![1]} where coalesce(trim(customer_id), '') <> ''`)).n);
    const c = await one(`with events as (
        select call_ref as id, nullif(trim(cust_no), '') as customer_id, handled_by as agent_id from ${sources[1]![1]}
        union all select post.id, cast(author.customer_id as varchar), triage.agent from ${sources[3]![1]}
        union all select ticket_id, cast(customer_id as varchar), agent_id from ${sources[4]![1]}
      ),
      customers as (select distinct trim(customer_id) as customer_id from ${sources[2]![1]} where customer_id is not null),
      agents as (select distinct agent_id from ${sources[0]![1]} where agent_id is not null)
      select count(distinct id)::int as complaints,
        count(distinct id) filter (where customer_id is null or customer_id not in (select customer_id from customers) or agent_id not in (select agent_id from agents))::int as orphans
      from events where id is not null`);
    out.complaints = Number(c.complaints);
    out.orphans = Number(c.orphans);
    out.tables = await tableSizes(one, sources.map((x) => x[1]), f('../seeds/raw_complaint_categories.csv'));
    conn.closeSync();
    return out;
  } finally {
    instance.closeSync();
  }
}

/**
 * Each complaint event with its times parsed (the call log writes two formats), its status read as the
 * platform's vocabulary, and whether the complaint is an orphan; then the sizes of the tables built from them.
 */
async function tableSizes(one: (sql: string) => Promise<Record<string, unknown>>, [agents, calls, customers, social, web]: string[], categoriesFile: string): Promise<Record<string, number>> {
  const ts = (c: string): string => `coalesce(try_strptime(trim(${c}), '%Y-%m-%d %H:%M:%S'), try_strptime(trim(${c}), '%d/%m/%Y %H:%M'))`;
  const r = await one(`with raw as (
      select 'call' as channel, call_ref as id, nullif(trim(cust_no), '') as customer_id, ${ts('call_start')} as opened_at, upper(trim(reason_code)) as category, outcome as status, handled_by as agent_id, ${ts('logged_at')} as event_at from ${calls}
      union all select 'social', post.id, cast(author.customer_id as varchar), cast(post.posted_at as timestamp), upper(trim(triage.category)), triage.status, triage.agent, cast(updated_at as timestamp) from ${social}
      union all select 'web', ticket_id, cast(customer_id as varchar), submitted_at, upper(trim(category)), status, agent_id, updated_at from ${web}
    ),
    known_customers as (select distinct trim(customer_id) as customer_id from ${customers} where customer_id is not null),
    known_agents as (select distinct agent_id from ${agents} where agent_id is not null),
    events as (
      select distinct channel, id, customer_id, opened_at, category, agent_id, event_at,
        case when lower(trim(status)) in ('backlog', 'new') then 'backlog' when lower(trim(status)) in ('in_progress', 'in progress', 'in-progress', 'pending') then 'in_progress' when lower(trim(status)) in ('resolved', 'closed') then 'resolved' end as status
      from raw where id is not null and opened_at >= timestamp '2026-01-01'
    ),
    latest as (select * from events qualify row_number() over (partition by id order by event_at desc) = 1),
    kept as (select * from latest where customer_id in (select customer_id from known_customers) and agent_id in (select agent_id from known_agents))
    select
      (select count(*) from (select distinct id, event_at from events))::int as complaint_events,
      (select count(*) from kept)::int as complaints,
      (select count(*) from latest)::int - (select count(*) from kept)::int as quarantined,
      (select count(*) from (select distinct cast(opened_at as date), channel, category from kept))::int as mart_complaints_daily,
      (select count(*) from (select distinct channel, status, cast(opened_at as date), agent_id from kept))::int as mart_ticket_summary,
      (select count(*) from known_customers)::int as customers,
      (select count(*) from (select distinct * from ${customers} where coalesce(trim(customer_id), '') = ''))::int as customers_without_id,
      (select count(distinct agent_id) from ${agents})::int as agents,
      (select count(*) from read_csv(${categoriesFile}, header = true))::int as categories`);
  const n = (k: string): number => Number(r[k]);
  return {
    'gold.churn_risk_features': n('customers'), 'gold.dim_agents': n('agents'), 'gold.dim_customers': n('customers'), 'gold.fct_complaints': n('complaints'), 'gold.mart_agent_performance': n('agents'),
    'gold.mart_complaints_daily': n('mart_complaints_daily'), 'gold.mart_ticket_summary': n('mart_ticket_summary'), 'silver.agents': n('agents'), 'silver.complaint_categories': n('categories'),
    'silver.complaint_events': n('complaint_events'), 'silver.complaints': n('complaints'), 'silver.complaints__quarantine': n('quarantined'), 'silver.customers': n('customers'), 'silver.customers__quarantine': n('customers_without_id'),
  };
}
