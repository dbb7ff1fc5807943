/**
 * examples/support-tickets built end to end, hour by hour, on a real DuckDB file. The expected figures are
 * computed here from the CSV files with plain JavaScript, not through Strata.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { build } from './index.js';
import { CapturingReporter } from '../diagnostics/index.js';
import { copyExample } from '../test-support/demo-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';

type Row = Record<string, string>;
const pepper = 'test-pepper-for-tickets';

/** What the helpdesk sent, file by file in hour order. */
function readExports(landing: string): { file: string; rows: Row[] }[] {
  return readdirSync(landing).filter((f) => f.endsWith('.csv')).sort().map((file) => ({ file, rows: parse(readFileSync(join(landing, file), 'utf8'), { columns: true }) as Row[] }));
}

const validAge = (s: string): boolean => s.trim() !== '' && Number.isInteger(Number(s)) && Number(s) >= 0 && Number(s) <= 120;
const validRating = (s: string): boolean => /^\s*[1-5]\s*$/.test(s);

describe('examples/support-tickets', () => {
  let dir: string;
  let exportsByHour: { file: string; rows: Row[] }[];
  const db = (): string => join(dir, 'target', 'support_tickets.duckdb');
  const env = { ...process.env, SUPPORT_PII_PEPPER: pepper };
  beforeAll(() => {
    dir = copyExample('support-tickets');
    exportsByHour = readExports(join(dir, 'landing'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds the first hours, then only the new hour, with the data-quality warnings expected', async () => {
    const last = exportsByHour.at(-1)!.file;
    renameSync(join(dir, 'landing', last), join(dir, last));
    const first = await build({ projectDir: dir, profilesDir: dir, env, reporter: new CapturingReporter() });
    expect(first.exitCode).toBe(0);
    renameSync(join(dir, last), join(dir, 'landing', last));
    const second = await build({ projectDir: dir, profilesDir: dir, env, reporter: new CapturingReporter() });
    expect(second.exitCode).toBe(0);
    expect(second.results.filter((r) => !['success', 'pass', 'warn', 'no-op'].includes(r.status))).toEqual([]);
    // The watermark: the second run read only the last file's rows with an id.
    const lastIds = new Set(exportsByHour.at(-1)!.rows.map((r) => r.ticket_id!.trim()).filter(Boolean));
    const inc = second.results.find((r) => r.uniqueId === 'model.support_tickets.cleaned_customer_support');
    expect(inc?.adapterResponse).toMatchObject({ rows_affected: lastIds.size });
  });

  it('keeps one cleaned row per ticket, its latest export, with PII protected', async () => {
    const latest = new Map<string, Row>();
    for (const { rows } of exportsByHour) for (const r of rows) if (r.ticket_id!.trim()) latest.set(r.ticket_id!.trim(), r);
    const tickets = [...latest.values()];
    const [counts] = await queryDuckDb(db(), `select count(*)::int as n, count(customer_age)::int as ages, count(email_hash)::int as hashes,
      count(*) filter (where ticket_status = 'closed')::int as closed, count(satisfaction_rating)::int as rated,
      sum(satisfaction_rating)::int as rating_sum, count(*) filter (where customer_name_masked not like '_***')::int as unmasked
      from staging.cleaned_customer_support`);
    expect(counts).toEqual({
      n: latest.size,
      ages: tickets.filter((t) => validAge(t.customer_age!)).length,
      hashes: tickets.filter((t) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(t.customer_email!.trim().toLowerCase())).length,
      closed: tickets.filter((t) => t.ticket_status!.trim().toLowerCase() === 'closed').length,
      rated: tickets.filter((t) => validRating(t.customer_satisfaction_rating!)).length,
      rating_sum: tickets.filter((t) => validRating(t.customer_satisfaction_rating!)).reduce((s, t) => s + Number(t.customer_satisfaction_rating), 0),
      unmasked: 0,
    });
    const sample = tickets.find((t) => t.customer_email!.includes('@') && t.customer_email !== t.customer_email!.trim())!;
    const expected = createHash('sha256').update(sample.customer_email!.trim().toLowerCase() + pepper).digest('hex');
    const [row] = await queryDuckDb(db(), `select email_hash, customer_name_masked from staging.cleaned_customer_support where ticket_id = ${Number(sample.ticket_id)}`);
    expect(row).toEqual({ email_hash: expected, customer_name_masked: sample.customer_name ? `${sample.customer_name.trim()[0]}***` : null });
    const [mart] = await queryDuckDb(db(), 'select sum(tickets)::int as tickets, count(*)::int as groups from mart.ticket_summary');
    expect(mart!.tickets).toBe(latest.size);
  });

  it('records every check of every run in mart.dq_results, with the dirt counted', async () => {
    const all = exportsByHour.flatMap((e) => e.rows);
    const runs = await queryDuckDb(db(), `select invocation_id, count(*)::int as checks from mart.dq_results group by 1 order by min(run_started_at)`);
    expect(runs.map((r) => r.checks)).toEqual([11, 11]);
    const failures = await queryDuckDb(db(), `select test_name, status, failures::int as failures from mart.dq_results
      where invocation_id = '${String(runs[1]!.invocation_id)}' and status <> 'pass' order by test_name`);
    expect(failures).toEqual([
      { test_name: 'not_null_cleaned_customer_support_email_hash', status: 'warn', failures: (await queryDuckDb(db(), 'select count(*)::int as n from staging.cleaned_customer_support where email_hash is null'))[0]!.n },
      { test_name: 'source_not_null_helpdesk_raw_customer_support_ticket_id', status: 'warn', failures: all.filter((r) => r.ticket_id === '').length },
      { test_name: 'source_valid_age_helpdesk_raw_customer_support_customer_age', status: 'warn', failures: all.filter((r) => r.customer_age !== '' && !validAge(r.customer_age!)).length },
      { test_name: 'source_valid_rating_helpdesk_raw_customer_support_customer_satisfaction_rating', status: 'warn', failures: all.filter((r) => r.customer_satisfaction_rating !== '' && !validRating(r.customer_satisfaction_rating!)).length },
    ]);
  });

  it('keeps the pepper out of compiled SQL and artifacts', () => {
    const compiled = readFileSync(join(dir, 'target', 'compiled', 'support_tickets', 'models', 'staging', 'cleaned_customer_support.sql'), 'utf8');
    expect(compiled).toContain("getvariable('SUPPORT_PII_PEPPER')");
    for (const text of [compiled, readFileSync(join(dir, 'target', 'manifest.json'), 'utf8'), readFileSync(join(dir, 'target', 'run_results.json'), 'utf8')]) expect(text).not.toContain(pepper);
  });

  it('refuses the production target without a pepper, before opening the warehouse', async () => {
    const reporter = new CapturingReporter();
    const { SUPPORT_PII_PEPPER: _, ...noPepper } = process.env;
    const result = await build({ projectDir: dir, profilesDir: dir, target: 'prod', env: noPepper, reporter });
    expect(result.exitCode).toBe(2);
    const d = result.diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ file: 'models/staging/cleaned_customer_support.sql' });
    expect(d?.message).toContain('SUPPORT_PII_PEPPER is not set');
    expect(existsSync(join(dir, 'target', 'support_tickets_prod.duckdb'))).toBe(false);
  });
});
