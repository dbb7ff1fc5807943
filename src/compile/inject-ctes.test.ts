import { describe, it, expect } from 'vitest';
import { injectCtes } from './inject-ctes.js';

const cte = { id: 'model.p.e', name: '__dbt__cte__e', sql: 'select 1 as x' };

describe('injectCtes', () => {
  it('prepends a WITH to a plain select', () => {
    expect(injectCtes('select * from __dbt__cte__e', [cte])).toBe('with __dbt__cte__e as (\nselect 1 as x\n)\nselect * from __dbt__cte__e');
  });
  it('merges into an existing WITH, after leading comments', () => {
    const sql = '-- note\n/* more */ WITH a as (select 2) select * from a, __dbt__cte__e';
    expect(injectCtes(sql, [cte])).toBe(
      '-- note\n/* more */ with __dbt__cte__e as (\nselect 1 as x\n), a as (select 2) select * from a, __dbt__cte__e',
    );
  });
  it('keeps RECURSIVE', () => {
    expect(injectCtes('with recursive r as (select 1) select 1', [cte])).toMatch(/^with recursive __dbt__cte__e as/);
  });
  it('leaves SQL alone when there is nothing to inject', () => {
    expect(injectCtes('select 1', [])).toBe('select 1');
  });
});
