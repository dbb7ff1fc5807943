/** Tests' stored failing rows as dbt's store_test_failures suite checks them: whole rows, `limit`, many threads at once. */
import { describe, it, expect } from 'vitest';
import { test as runTests, seed } from '../api/index.js';
import { PROJECT_YML } from '../test-support/fixture-project.js';
import { duckDbProjectsRemovedAfterAll } from '../test-support/temp-projects.js';

const project = duckDbProjectsRemovedAfterAll();
const LOCKERS = 'locker_id,site,size\n1,north,s\n,north,m\n,south,l\n4,south,\n5,east,xl\n6,east,xl\n7,west,m\n';

describe('stored test failures', () => {
  it('with --store-failures, not_null keeps the whole failing rows, as dbt stores them', async () => {
    const f = project({
      'seeds/lockers.csv': LOCKERS,
      'seeds/properties.yml': 'version: 2\nseeds:\n  - name: lockers\n    columns:\n      - name: locker_id\n        data_tests: [not_null]\n',
    });
    expect((await seed({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    const r = await runTests({ projectDir: f.dir, profilesDir: f.dir, storeFailures: true });
    expect(r.exitCode).toBe(1);
    expect(await f.q('select * from main_dbt_test__audit.not_null_lockers_locker_id order by site')).toEqual([
      { locker_id: null, site: 'north', size: 'm' },
      { locker_id: null, site: 'south', size: 'l' },
    ]);
  });

  it('a test with `limit` stores that many rows, as many as it counts', async () => {
    const f = project({
      'seeds/lockers.csv': LOCKERS,
      'seeds/properties.yml': "version: 2\nseeds:\n  - name: lockers\n    columns:\n      - name: site\n        data_tests:\n          - accepted_values:\n              values: ['north']\n              config: {store_failures_as: table, limit: 2}\n",
    });
    expect((await seed({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    const r = await runTests({ projectDir: f.dir, profilesDir: f.dir });
    expect(r.results.map((x) => [x.status, x.failures])).toEqual([['fail', 2]]);
    expect(await f.q('select count(*)::int as n from main_dbt_test__audit.accepted_values_lockers_site__north')).toEqual([{ n: 2 }]);
  });

  it('tests on several threads storing into a schema that does not exist yet all store their rows', async () => {
    const tests: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) tests[`tests/lockers_check_${i}.sql`] = `{{ config(store_failures_as='${i % 2 ? 'table' : 'view'}') }}\nselect * from {{ ref('lockers') }} where locker_id is null or locker_id > ${i}`;
    const f = project({ 'project.yml': PROJECT_YML('p', 'data_tests:\n  +schema: stored_fresh\n'), 'seeds/lockers.csv': LOCKERS, ...tests });
    expect((await seed({ projectDir: f.dir, profilesDir: f.dir })).exitCode).toBe(0);
    const r = await runTests({ projectDir: f.dir, profilesDir: f.dir, threads: 6 });
    expect(r.results.map((x) => x.status)).toEqual(Array(12).fill('fail'));
    expect(await f.q("select count(*)::int as n from information_schema.tables where table_schema = 'main_stored_fresh'")).toEqual([{ n: 12 }]);
  });
});
