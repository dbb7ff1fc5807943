/** dbt 1.9 `time_spine:` and dbt 1.10 column `config:` in manifest.json and in `graph`, as templates read them. */
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { queryDuckDb } from '../test-support/duckdb-query.js';
import { build, parse } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));
const project = (files: Record<string, string>): string => {
  const dir = writeProject(files);
  dirs.push(dir);
  return dir;
};

const PROPERTIES = [
  'models:',
  '  - name: all_days',
  '    time_spine:',
  '      standard_granularity_column: date_day',
  '      custom_granularities:',
  '        - name: fiscal_year',
  '          column_name: fy',
  '        - name: retail_month',
  '    columns:',
  '      - name: date_day',
  '        granularity: day',
  '        meta: {owner: finance, pii: false}',
  '        tags: [calendar]',
  '        config:',
  '          meta: {pii: true, source: erp}',
  '          tags: [spine, calendar]',
  '      - name: fy',
  '        config: {tags: fiscal}',
  '      - name: retail_month',
  '  - name: orders',
].join('\n');

describe('time_spine and column config', () => {
  it('are in manifest.json with dbt field names, and in graph.nodes as templates see them', async () => {
    const dir = project({
      'models/all_days.sql': "select cast('2024-01-01' as date) as date_day, 2024 as fy, 1 as retail_month",
      // dbt-project-evaluator's filter: models that are time spines are left out of its checks.
      'models/orders.sql': [
        '{% if execute %}',
        "{% set spines = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | rejectattr('time_spine', 'none') | map(attribute='name') | join(',') %}",
        "{% set col = graph.nodes['model.p.all_days'].columns['date_day'] %}",
        '{% endif %}',
        "select '{{ spines if execute }}' as spines, '{{ col.config.meta.pii if execute }}|{{ col.config.meta.owner if execute }}|{{ col.meta.source if execute }}|{{ col.config.tags | join(\",\") if execute }}' as date_day_config",
      ].join('\n'),
      'models/properties.yml': PROPERTIES,
    });
    const r = await build({ projectDir: dir, profilesDir: dir });
    expect(r.diagnostics).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(await queryDuckDb(join(dir, 'target/test.duckdb'), 'select * from main.orders')).toEqual([{ spines: 'all_days', date_day_config: 'True|finance|erp|calendar,spine' }]);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Record<string, unknown>> };
    const days = manifest.nodes['model.p.all_days']!;
    expect(days.time_spine).toEqual({ standard_granularity_column: 'date_day', custom_granularities: [{ name: 'fiscal_year', column_name: 'fy' }, { name: 'retail_month', column_name: null }] });
    expect(manifest.nodes['model.p.orders']!.time_spine).toBeNull();
    const columns = days.columns as Record<string, Record<string, unknown>>;
    // Merged as dbt 1.10 merges them: the config's meta keys win, tags once each; both spellings give the same.
    expect(columns.date_day).toMatchObject({ meta: { owner: 'finance', pii: true, source: 'erp' }, tags: ['calendar', 'spine'], config: { meta: { owner: 'finance', pii: true, source: 'erp' }, tags: ['calendar', 'spine'] }, granularity: 'day' });
    expect(columns.fy).toMatchObject({ meta: {}, tags: ['fiscal'], config: { meta: {}, tags: ['fiscal'] }, granularity: null });
  });

  it("reports a time spine whose columns are not the model's, as dbt does, at its line", async () => {
    const dir = project({
      'models/all_days.sql': 'select 1 as date_day',
      'models/properties.yml': [
        'models:',
        '  - name: all_days',
        '    time_spine:',
        '      standard_granularity_column: date_day',
        '      custom_granularities: [{name: fiscal_year}]',
        '    columns:',
        '      - name: date_day',
        '      - name: week',
        '        granularity: fortnight',
        '        config: [pii]',
      ].join('\n'),
    });
    const r = await parse({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.map((d) => [d.file, d.line, d.message])).toEqual([
      ['models/properties.yml', 9, "granularity: of column 'week' is not a time granularity: \"fortnight\""],
      ['models/properties.yml', 10, "config: of column 'week' must be a mapping"],
      ['models/properties.yml', 4, "time spine column 'date_day' of model 'all_days' has no granularity"],
      ['models/properties.yml', 5, "custom granularity columns of model 'all_days' are not among its columns: fiscal_year"],
    ]);
  });
});
