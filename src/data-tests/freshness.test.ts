import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { seed, sourceFreshness } from '../api/index.js';
import { utcIso } from './freshness.js';

const ts = (hoursAgo: number): string => new Date(Date.now() - hoursAgo * 3600e3).toISOString().slice(0, 19).replace('T', ' ');

describe('source freshness', () => {
  const dir = writeProject({
    'seeds/fresh_events.csv': `id,loaded_at\n1,${ts(30)}\n2,${ts(1)}\n`,
    'seeds/stale_events.csv': `id,loaded_at\n1,${ts(30)}\n`,
    'seeds/old_events.csv': `id,loaded_at\n1,${ts(100)}\n`,
    'models/sources.yml': `version: 2
sources:
  - name: app
    schema: main
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 3, period: day}
    tables:
      - name: fresh_events
      - name: stale_events
      - name: old_events
      - name: untracked
        freshness: null
`,
  });
  afterAll(() => removeProject(dir));

  it('passes, warns and errors by age, writes sources.json and exits 1 on an error', async () => {
    await seed({ projectDir: dir, profilesDir: dir });
    const result = await sourceFreshness({ projectDir: dir, profilesDir: dir });
    const by = Object.fromEntries(result.results.map((r) => [r.uniqueId.split('.').pop(), r.status]));
    expect(by).toEqual({ fresh_events: 'pass', stale_events: 'warn', old_events: 'error' });
    expect(result.exitCode).toBe(1);
    const artifact = JSON.parse(readFileSync(join(dir, 'target', 'sources.json'), 'utf8'));
    expect(artifact.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
    const old = artifact.results.find((r: { unique_id: string }) => r.unique_id === 'source.p.app.old_events');
    expect(old).toMatchObject({ status: 'error', criteria: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 3, period: 'day' } } });
    expect(old.max_loaded_at_time_ago_in_s).toBeGreaterThan(99 * 3600);
    // dbt's format: ISO 8601 in UTC.
    expect(old.max_loaded_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    expect(Date.parse(old.max_loaded_at)).toBeLessThan(Date.now() - 99 * 3600_000);
  });

  it('refuses a date as load time, as dbt (a runtime error naming the field and the cast)', async () => {
    const d = writeProject({
      'seeds/daily.csv': 'id,loaded_on\n1,2026-01-05\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    schema: main\n    loaded_at_field: loaded_on\n    freshness: {warn_after: {count: 1, period: day}}\n    tables:\n      - name: daily\n',
    });
    try {
      await seed({ projectDir: d, profilesDir: d });
      const r = await sourceFreshness({ projectDir: d, profilesDir: d });
      expect(r.results.map((x) => x.status)).toEqual(['runtime error']);
      expect(r.results[0]!.message).toMatch(/Expected a timestamp value when querying field 'loaded_on' .* of type 'date' instead .*cast\(loaded_on as timestamp\)/);
    } finally {
      removeProject(d);
    }
  });

  it('writes max_loaded_at as dbt: ISO 8601 in UTC, from any warehouse\'s timestamp text', () => {
    expect(utcIso('2026-01-05 10:00:00')).toBe('2026-01-05T10:00:00+00:00');
    expect(utcIso('2026-01-05 10:00:00.5')).toBe('2026-01-05T10:00:00.500000+00:00');
    expect(utcIso('2026-01-05 10:00:00.123456+00')).toBe('2026-01-05T10:00:00.123456+00:00');
    expect(utcIso('2026-01-05 01:30:00+02:30')).toBe('2026-01-04T23:00:00+00:00');
    expect(utcIso('2026-01-05T10:00:00Z')).toBe('2026-01-05T10:00:00+00:00');
    expect(utcIso('2026-01-05 10:00:00 UTC')).toBe('2026-01-05T10:00:00+00:00');
    expect(utcIso('yesterday')).toBe('yesterday');
  });

  it('build --check-freshness skips what reads a stale source and builds the rest', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'models', 'from_old.sql'), "select * from {{ source('app', 'old_events') }}");
    writeFileSync(join(dir, 'models', 'from_fresh.sql'), "select * from {{ source('app', 'fresh_events') }}");
    const { build } = await import('../api/index.js');
    const result = await build({ projectDir: dir, profilesDir: dir, checkFreshness: true, select: ['from_old', 'from_fresh', 'source:app'] });
    const by = Object.fromEntries(result.results.map((r) => [r.uniqueId, r.status]));
    expect(by['source.p.app.old_events']).toBe('error');
    expect(by['model.p.from_old']).toBe('skipped');
    expect(by['model.p.from_fresh']).toBe('success');
    expect(result.exitCode).toBe(1);
  });

  it('selects sources like dbt', async () => {
    const result = await sourceFreshness({ projectDir: dir, profilesDir: dir, select: ['source:app.fresh_events'] });
    expect(result.results.map((r) => r.status)).toEqual(['pass']);
    expect(result.exitCode).toBe(0);
  });
});
