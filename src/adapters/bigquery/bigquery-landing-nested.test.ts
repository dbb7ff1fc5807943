/**
 * Landing on BigQuery (loopback BigQuery and GCS servers): a later file's new field inside a RECORD is kept —
 * BigQuery's SQL cannot add one, so the table's schema is widened (tables.patch) before the insert; a record
 * whose fields come in another order or lack one is built by name (BigQuery inserts records by position);
 * a field of another type fails the file by name.
 */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeProject } from '../../test-support/fixture-project.js';
import type { LocalBigQuery } from './local/local-bigquery-server.js';
import type { LocalGcs } from './local/local-gcs-server.js';
import { withLoopbackBigQuery } from '../../test-support/loopback-bigquery.js';
import { analyzerPlatformGap, loopbackBigQueryProfile, queryRows } from '../../test-support/local-bigquery-client.js';
import { land } from '../../api/index.js';

process.env.STRATA_BQ_BACKOFF_MS = '5';

const ndjson = (...rows: unknown[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe.skipIf(analyzerPlatformGap)('landing nested fields on BigQuery (loopback BigQuery and GCS)', () => {
  let bq: LocalBigQuery;
  let gcs: LocalGcs;
  const dirs = withLoopbackBigQuery((s) => ({ bq, gcs } = s));

  // Each test its own table: the loopback BigQuery is shared by the file's tests.
  const project = (table: string): string => {
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }),
      'models/sources.yml': `version: 2\nsources:\n  - name: drop\n    schema: bronze\n    tables:\n      - name: ${table}\n        external:\n          location: landing/${table}/\n          format: ndjson\n          pattern: '*.json'\n`,
      [`landing/${table}/day_1.json`]: ndjson({ id: 1, author: { id: 1, handle: 'x' } }),
    }, false);
    dirs.push(dir);
    return dir;
  };

  it('keeps a new field inside a RECORD and inside a repeated RECORD: the schema widens, earlier rows have them null', async () => {
    const dir = project('posts');
    writeFileSync(join(dir, 'landing', 'posts', 'day_1.json'), ndjson({ id: 1, author: { id: 1, handle: 'x' }, tags: [{ k: 'a' }] }));
    const a = await land({ projectDir: dir, profilesDir: dir });
    expect(a.exitCode, a.results[0]?.message).toBe(0);
    writeFileSync(join(dir, 'landing', 'posts', 'day_2.json'), ndjson({ id: 2, author: { id: 2, handle: 'y', verified: true }, tags: [{ k: 'b', w: 2.5 }] }));
    const b = await land({ projectDir: dir, profilesDir: dir });
    expect(b.exitCode, b.results[0]?.message).toBe(0);
    expect(await queryRows(bq.endpoint, 'select id, author.handle as handle, author.verified as verified, tags from `acme-test`.`bronze`.`posts` order by id')).toEqual([
      { id: '1', handle: 'x', verified: null, tags: [{ k: 'a', w: null }] },
      { id: '2', handle: 'y', verified: 'true', tags: [{ k: 'b', w: '2.5' }] },
    ]);
    expect(bq.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    // A later day without the new fields lands as before: they are null in its rows.
    writeFileSync(join(dir, 'landing', 'posts', 'day_3.json'), ndjson({ id: 3, author: { id: 3, handle: 'z' }, tags: [{ k: 'c', w: 1.5 }] }));
    const c = await land({ projectDir: dir, profilesDir: dir });
    expect(c.exitCode, c.results[0]?.message).toBe(0);
    expect(await queryRows(bq.endpoint, 'select author.verified as verified from `acme-test`.`bronze`.`posts` where id = 3')).toEqual([{ verified: null }]);
  });

  it('a RECORD whose fields come in another order or lack one is built by name; a field of another type fails by name', async () => {
    const dir = project('threads');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    writeFileSync(join(dir, 'landing', 'threads', 'day_2.json'), ndjson({ id: 2, author: { handle: 'y', id: 2 } }));
    writeFileSync(join(dir, 'landing', 'threads', 'day_3.json'), ndjson({ id: 3, author: { id: 'u-3', handle: 'z', verified: true } }));
    writeFileSync(join(dir, 'landing', 'threads', 'day_4.json'), ndjson({ id: 4, author: { id: 4 } }, { id: 5, author: null }));
    writeFileSync(join(dir, 'landing', 'threads', 'day_6.json'), ndjson({ id: 6.5, author: { id: 6, handle: 'w' } }));
    const b = await land({ projectDir: dir, profilesDir: dir });
    expect(b.exitCode).toBe(1);
    const message = b.results[0]?.message ?? '';
    expect(message).toContain('landed 2 files');
    expect(message).toContain('day_6.json: column id is FLOAT64 in this file but INT64 in `acme-test`.`bronze`.`threads`; nothing of the file was landed: widen the column once (alter table `acme-test`.`bronze`.`threads` alter column `id` set data type FLOAT64), and land again');
    expect(message).toContain('day_3.json: column author of `acme-test`.`bronze`.`threads` cannot take this file\'s author, so nothing of the file was landed: author.id is STRING in this file but INT64 in the table. What to do:');
    expect(await queryRows(bq.endpoint, 'select id, author from `acme-test`.`bronze`.`threads` order by id')).toEqual([
      { id: '1', author: { id: '1', handle: 'x' } },
      { id: '2', author: { id: '2', handle: 'y' } },
      { id: '4', author: { id: '4', handle: null } },
      { id: '5', author: null },
    ]);
    // Built by name: BigQuery would put day 2's handle into id by position.
    const inserts = bq.jobs.map((j) => String(j.configuration?.query?.query ?? '')).filter((sql) => sql.includes('insert into `acme-test`.`bronze`.`threads`'));
    expect(inserts.filter((sql) => sql.includes('IF(`author` IS NULL, NULL, STRUCT(`author`.`id` AS `id`, `author`.`handle` AS `handle`))'))).toHaveLength(1);
    expect(inserts.filter((sql) => sql.includes('CAST(NULL AS STRING) AS `handle`'))).toHaveLength(1);
    // The refused file changed nothing: its new field (verified) was not added.
    expect(bq.requests.filter((r) => r.method === 'PATCH' && r.pathname.endsWith('/threads'))).toEqual([]);
  });

  it('a new top-level RECORD or repeated column is added with its fields, and lands', async () => {
    const dir = project('notes');
    expect((await land({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    writeFileSync(join(dir, 'landing', 'notes', 'day_2.json'), ndjson({ id: 2, author: { id: 2, handle: 'y' }, geo: { lat: 1.5, tags: ['a', 'b'] }, labels: ['x'] }));
    const b = await land({ projectDir: dir, profilesDir: dir });
    expect(b.exitCode, b.results[0]?.message).toBe(0);
    expect(await queryRows(bq.endpoint, 'select id, geo.lat as lat, geo.tags as tags, labels from `acme-test`.`bronze`.`notes` order by id')).toEqual([
      { id: '1', lat: null, tags: [], labels: [] },
      { id: '2', lat: '1.5', tags: ['a', 'b'], labels: ['x'] },
    ]);
    // The local BigQuery takes schema additions only, as BigQuery does: dropping or retyping a field is refused.
    const patch = (fields: unknown[]): Promise<Response> => fetch(`${bq.endpoint}/bigquery/v2/projects/acme-test/datasets/bronze/tables/notes`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ schema: { fields } }) });
    const refused = await patch([{ name: 'id', type: 'STRING' }]);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Provided Schema does not match Table acme-test.bronze.notes: field id changed from NULLABLE INTEGER to NULLABLE STRING');
  });

  it('a JSON file without records lands as no rows: the table is made from the declared columns, with no load job, and the next file lands into it', async () => {
    const columns = '        columns:\n          - name: id\n            data_type: INT64\n          - name: author\n            data_type: STRUCT<id INT64, handle STRING>\n';
    const dir = writeProject({
      'project.yml': 'name: p\nprofile: p\n',
      'profiles.yml': loopbackBigQueryProfile({ bigquery: bq.endpoint, gcs: gcs.endpoint }),
      'models/sources.yml': `version: 2\nsources:\n  - name: drop\n    schema: bronze\n    tables:\n      - name: quiet\n${columns}        external:\n          location: landing/quiet/\n          format: ndjson\n          pattern: '*.json'\n`,
      'landing/quiet/day_1.json': '\n',
    }, false);
    dirs.push(dir);
    const loadsBefore = bq.jobs.filter((j) => j.configuration?.load).length;
    const a = await land({ projectDir: dir, profilesDir: dir });
    expect(a.exitCode, a.results[0]?.message).toBe(0);
    expect(a.results[0]?.message).toBe('landed 1 file (0 rows), skipped 0');
    expect(bq.jobs.filter((j) => j.configuration?.load).length).toBe(loadsBefore);
    expect(await queryRows(bq.endpoint, "select column_name, data_type from `acme-test`.`bronze`.INFORMATION_SCHEMA.COLUMNS where table_name = 'quiet' order by ordinal_position")).toEqual([
      { column_name: 'id', data_type: 'INT64' },
      { column_name: 'author', data_type: 'STRUCT<id INT64, handle STRING>' },
      { column_name: '_strata_source_file', data_type: 'STRING' },
      { column_name: '_strata_loaded_at', data_type: 'TIMESTAMP' },
      { column_name: '_strata_invocation_id', data_type: 'STRING' },
    ]);
    writeFileSync(join(dir, 'landing', 'quiet', 'day_2.json'), ndjson({ id: 7, author: { id: 1, handle: 'x' } }));
    const b = await land({ projectDir: dir, profilesDir: dir });
    expect(b.exitCode, b.results[0]?.message).toBe(0);
    expect(await queryRows(bq.endpoint, 'select id, author.handle as handle from `acme-test`.`bronze`.`quiet`')).toEqual([{ id: '7', handle: 'x' }]);
  });
});
