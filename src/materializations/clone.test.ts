/** `strata clone`'s decision per node, as data: the same inputs on DuckDB and BigQuery, side by side. */
import { describe, it, expect } from 'vitest';
import type { ExistingRelation, Relation } from '../adapters/contract.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { bigqueryDialect } from '../adapters/bigquery/bigquery-dialect.js';
import { planClone, type ClonePlan } from './clone.js';

const target: Relation = { database: 'proj', schema: 'ci', identifier: 'orders' };
const state: Relation = { database: 'proj', schema: 'prod', identifier: 'orders' };
const existing = (r: Relation, kind: ExistingRelation['kind']): ExistingRelation => ({ ...r, kind });
const sqlOf = (p: ClonePlan): string => (p.action === 'clone' ? `${p.how}: ${p.sql}` : `skip: ${p.reason}`);

describe('planClone', () => {
  it.each([
    ['a state table', existing(state, 'table'), {
      duckdb: 'copy: create table "proj"."ci"."orders" as (\nselect * from "proj"."prod"."orders"\n)',
      bigquery: 'zero-copy: create or replace table `proj`.`ci`.`orders`\nclone `proj`.`prod`.`orders`',
    }],
    ['a state view', existing(state, 'view'), {
      duckdb: 'copy: create table "proj"."ci"."orders" as (\nselect * from "proj"."prod"."orders"\n)',
      bigquery: 'view: create or replace view `proj`.`ci`.`orders`\nas (\nselect * from `proj`.`prod`.`orders`\n)',
    }],
    ['a state external table', existing(state, 'external'), {
      duckdb: 'copy: create table "proj"."ci"."orders" as (\nselect * from "proj"."prod"."orders"\n)',
      bigquery: 'view: create or replace view `proj`.`ci`.`orders`\nas (\nselect * from `proj`.`prod`.`orders`\n)',
    }],
  ])('%s', (_name, stateExisting, expected) => {
    expect(sqlOf(planClone({ target, state, stateExisting, fullRefresh: false }, duckdbDialect))).toBe(expected.duckdb);
    expect(sqlOf(planClone({ target, state, stateExisting, fullRefresh: false }, bigqueryDialect))).toBe(expected.bigquery);
  });

  it('leaves an existing relation alone unless --full-refresh, and skips what the state lacks or is itself', () => {
    const input = { target, state, stateExisting: existing(state, 'table'), existing: existing(target, 'view') };
    expect(planClone({ ...input, fullRefresh: false }, bigqueryDialect)).toEqual({ action: 'skip', reason: '`proj`.`ci`.`orders` already exists (--full-refresh replaces it)' });
    expect(planClone({ ...input, fullRefresh: true }, bigqueryDialect)).toMatchObject({ action: 'clone', how: 'zero-copy', kind: 'table' });
    expect(planClone({ target, fullRefresh: true }, duckdbDialect)).toEqual({ action: 'skip', reason: 'the state manifest has no relation for it' });
    expect(planClone({ target, state: { ...target, schema: 'CI' }, fullRefresh: true }, duckdbDialect)).toMatchObject({ action: 'skip', reason: expect.stringContaining('is the state relation') });
  });

  it('builds at the staging name when the swap asks for it', () => {
    const plan = planClone({ target, state, stateExisting: existing(state, 'table'), fullRefresh: true }, bigqueryDialect);
    expect(plan.action === 'clone' && plan.statementAt({ ...target, identifier: 'orders__strata_tmp' })).toBe('create or replace table `proj`.`ci`.`orders__strata_tmp`\nclone `proj`.`prod`.`orders`');
  });
});
