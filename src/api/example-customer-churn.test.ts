/**
 * examples/customer-churn built end to end: staging and production as two DuckDB files (the profile's
 * `attach:`). The expected figures are computed here from the CSV with plain JavaScript, not through Strata.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { build } from './index.js';
import { CapturingReporter } from '../diagnostics/index.js';
import { copyExample } from '../test-support/demo-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';

type Row = Record<string, string>;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2;
}

function mode(xs: string[]): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  // A tie would make the expected value ambiguous: the generated data has none, and this says so if that changes.
  expect(sorted[0]![1]).toBeGreaterThan(sorted[1]![1]);
  return sorted[0]![0];
}

/** The production table as the issue defines it, computed from the CSV. */
function expectedFrom(rows: Row[]) {
  const blank = (s: string | undefined): boolean => !s || s.trim() === '';
  const nums = (k: string): number[] => rows.filter((r) => !blank(r[k])).map((r) => Number(r[k]));
  const fill = {
    tenure: Math.round(median(nums('tenure'))),
    MonthlyCharges: median(nums('MonthlyCharges')),
    TotalCharges: median(nums('TotalCharges')),
    gender: mode(rows.filter((r) => !blank(r.gender)).map((r) => r.gender!.trim())),
    Contract: mode(rows.filter((r) => !blank(r.Contract)).map((r) => r.Contract!.trim())),
    PaymentMethod: mode(rows.filter((r) => !blank(r.PaymentMethod)).map((r) => r.PaymentMethod!.trim())),
  };
  const value = (r: Row, k: keyof typeof fill): string | number => (blank(r[k]) ? fill[k] : typeof fill[k] === 'number' ? Number(r[k]) : r[k]!.trim());
  const out = rows.map((r) => ({ tenure: value(r, 'tenure') as number, monthly: value(r, 'MonthlyCharges') as number, gender: value(r, 'gender') as string, churn: r.Churn === 'Yes' ? 1 : 0 }));
  const count = (f: (x: (typeof out)[number]) => boolean): number => out.filter(f).length;
  const sum = (f: (x: (typeof out)[number]) => number): number => out.reduce((s, x) => s + f(x), 0);
  return {
    rows: rows.length,
    churned: count((x) => x.churn === 1),
    imputed: rows.reduce((s, r) => s + (['tenure', 'MonthlyCharges', 'TotalCharges', 'gender', 'Contract', 'PaymentMethod'] as const).filter((k) => blank(r[k])).length, 0),
    tenure_sum: sum((x) => x.tenure),
    monthly_sum: Math.round(sum((x) => x.monthly) * 100) / 100,
    females: count((x) => x.gender === 'Female'),
    low: count((x) => x.monthly < 35),
    high: count((x) => x.monthly >= 70),
    new: count((x) => x.tenure < 12),
    long: count((x) => x.tenure >= 48),
  };
}

describe('examples/customer-churn', () => {
  let dir: string;
  let csv: Row[];
  const production = (): string => join(dir, 'target', 'churn_production.duckdb');
  const staging = (): string => join(dir, 'target', 'churn_staging.duckdb');
  const ids = async (): Promise<string[]> => (await queryDuckDb(production(), 'select anonymous_id from churn.customer_churn')).map((r) => String(r.anonymous_id));
  let firstIds: string[] = [];
  beforeAll(() => {
    dir = copyExample('customer-churn');
    csv = parse(readFileSync(join(dir, 'landing', 'telco_churn.csv'), 'utf8'), { columns: true }) as Row[];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lands raw rows in the staging database and builds production in the attached one', async () => {
    const result = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
    expect(result.results.filter((r) => !['success', 'pass', 'no-op'].includes(r.status))).toEqual([]);
    expect(result.exitCode).toBe(0);
    const raw = await queryDuckDb(staging(), "select count(*)::int as n, count(_strata_loaded_at)::int as stamped, (select count(*) from information_schema.tables where table_schema = 'churn')::int as stray from raw.telco_churn");
    expect(raw[0]).toEqual({ n: csv.length, stamped: csv.length, stray: 0 });
    const tables = await queryDuckDb(production(), 'select table_schema, table_name from information_schema.tables order by 2');
    expect(tables).toEqual([{ table_schema: 'churn', table_name: 'customer_churn' }, { table_schema: 'churn', table_name: 'dq_metrics' }]);
    firstIds = await ids();
  });

  it('imputes medians and modes and derives the flags and bands exactly', async () => {
    const e = expectedFrom(csv);
    const [got] = await queryDuckDb(production(), `select count(*)::int as rows, sum(churn_flag)::int as churned, sum(imputed_values)::int as imputed,
      sum(tenure)::int as tenure_sum, round(sum(monthly_charges), 2)::double as monthly_sum, count(*) filter (where gender = 'Female')::int as females,
      count(*) filter (where monthly_charges_band = 'Low')::int as low, count(*) filter (where monthly_charges_band = 'High')::int as high,
      count(*) filter (where tenure_band = 'New')::int as new, count(*) filter (where tenure_band = 'Long')::int as long
      from churn.customer_churn`);
    expect(got).toEqual(e);
    expect(e.imputed).toBeGreaterThan(20);
    const [nulls] = await queryDuckDb(production(), 'select count(*) filter (where tenure is null or monthly_charges is null or total_charges is null or gender is null or contract is null or payment_method is null)::int as n, count(processed_at)::int as processed from churn.customer_churn');
    expect(nulls).toEqual({ n: 0, processed: csv.length });
  });

  it('replaces customer ids with random ids, new on every run, and appends a metrics row per run', async () => {
    const customerIds = new Set(csv.map((r) => r.customerID));
    expect(new Set(firstIds).size).toBe(csv.length);
    expect(firstIds.every((id) => /^[0-9a-f-]{36}$/.test(id) && !customerIds.has(id))).toBe(true);
    const again = await build({ projectDir: dir, profilesDir: dir, reporter: new CapturingReporter() });
    expect(again.exitCode).toBe(0);
    const secondIds = new Set(await ids());
    expect(firstIds.filter((id) => secondIds.has(id))).toEqual([]);
    const e = expectedFrom(csv);
    const metrics = await queryDuckDb(production(), 'select row_count::int as row_count, churn_rate, avg_monthly_charges, avg_tenure from churn.dq_metrics order by measured_at');
    const row = { row_count: e.rows, churn_rate: Math.round((e.churned / e.rows) * 10_000) / 10_000, avg_monthly_charges: Math.round((e.monthly_sum / e.rows) * 100) / 100, avg_tenure: Math.round((e.tenure_sum / e.rows) * 100) / 100 };
    expect(metrics).toEqual([row, row]);
  });

  it('offers a salted deterministic hash instead, from a salt in the environment', async () => {
    const salt = 'test-salt-for-churn';
    const result = await build({ projectDir: dir, profilesDir: dir, vars: { anonymous_id: 'salted_hash' }, env: { ...process.env, CHURN_ID_SALT: salt }, reporter: new CapturingReporter() });
    expect(result.exitCode).toBe(0);
    const expected = csv.map((r) => createHash('sha256').update(r.customerID!.trim() + salt).digest('hex')).sort();
    expect((await ids()).sort()).toEqual(expected);
    for (const f of ['manifest.json', 'run_results.json']) expect(readFileSync(join(dir, 'target', f), 'utf8')).not.toContain(salt);
    const { CHURN_ID_SALT: _, ...noSalt } = process.env;
    const refused = await build({ projectDir: dir, profilesDir: dir, vars: { anonymous_id: 'salted_hash' }, env: noSalt, reporter: new CapturingReporter() });
    expect(refused.exitCode).toBe(2);
    expect(refused.diagnostics.find((d) => d.severity === 'error')?.message).toContain('CHURN_ID_SALT');
  });
});
