/** `seed --show` (dbt's): a random sample of up to 10 rows of each loaded seed, headed with its relation. */
import { describe, it, expect } from 'vitest';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { runStrata } from '../test-support/strata-cli.js';
import { seed } from './index.js';

const project = projectsRemovedAfterAll();
const many = ['crate_no,label', ...Array.from({ length: 12 }, (_x, i) => `${i + 1},crate ${i + 1}`)].join('\n');

describe('seed --show', () => {
  it('samples each loaded seed: every row of a small one, ten of a larger one', async () => {
    const d = project({ 'seeds/docks.csv': 'dock,opens\nwest,06:00\neast,\n', 'seeds/crates.csv': many });
    const r = await seed({ projectDir: d, profilesDir: d, show: true });
    expect(r.exitCode).toBe(0);
    const byHeader = Object.fromEntries((r.seedSamples ?? []).map((s) => [s.header, s.preview]));
    expect(Object.keys(byHeader).sort()).toEqual(['Random sample of table: main.crates', 'Random sample of table: main.docks']);
    const docks = byHeader['Random sample of table: main.docks']!;
    expect(docks.columns.map((c) => c.name)).toEqual(['dock', 'opens']);
    expect([...docks.rows].sort((a, b) => String(a.dock).localeCompare(String(b.dock)))).toEqual([{ dock: 'east', opens: null }, { dock: 'west', opens: '06:00' }]);
    const crates = byHeader['Random sample of table: main.crates']!;
    expect(crates.rows).toHaveLength(10);
    expect(new Set(crates.rows.map((x) => x.crate_no)).size).toBe(10);
    expect(crates.rows.every((x) => typeof x.crate_no === 'number' && x.label === `crate ${String(x.crate_no)}`)).toBe(true);
    expect((await seed({ projectDir: d, profilesDir: d })).seedSamples).toBeUndefined();
  });

  it("prints the samples after the seeds' lines and before the closing summary, as dbt, as a table under the header", async () => {
    const d = project({ 'seeds/docks.csv': 'dock,berths\nwest,4\n' });
    const r = await runStrata(['seed', '--show', '--project-dir', d, '--profiles-dir', d], { env: { NO_COLOR: '1' } });
    expect(r.code, r.out).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Random sample of table: main.docks\n----------------------------------\n| dock | berths |\n| ---- | ------ |\n| west |      4 |\n');
    const at = (text: string): number => out.indexOf(text);
    expect(at('OK loaded seed file')).toBeGreaterThan(-1);
    expect(at('OK loaded seed file')).toBeLessThan(at('Random sample of table'));
    expect(at('Random sample of table')).toBeLessThan(at('Completed successfully'));
    expect(at('Random sample of table')).toBeLessThan(at('Done. PASS=1'));
  });

  it('prints the table under --quiet too, without its header, as dbt (its agate print_table goes to stdout, not through the log)', async () => {
    const d = project({ 'seeds/docks.csv': 'dock,berths\nwest,4\n' });
    const r = await runStrata(['seed', '--show', '--quiet', '--project-dir', d, '--profiles-dir', d], { env: { NO_COLOR: '1' } });
    expect(r.code, r.out).toBe(0);
    const out = r.stdout;
    expect(out).toContain('| dock | berths |\n| ---- | ------ |\n| west |      4 |\n');
    expect(out).not.toContain('Random sample of table');
    expect(out).not.toContain('OK loaded seed file');
  });
});
