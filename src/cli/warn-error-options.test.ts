/** dbt's `warn_error_options`, from the command line, the environment and the project's flags:, as a user runs them. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { runStrata } from '../test-support/strata-cli.js';
import { readWarnErrorOptions, warningFails } from '../api/warn-error-options.js';

const project = projectsRemovedAfterAll();
const CLEAN_ENV = { DBT_WARN_ERROR_OPTIONS: '', STRATA_WARN_ERROR_OPTIONS: '', DBT_WARN_ERROR: '', STRATA_WARN_ERROR: '' };

const strata = (d: string, args: string[], env: Record<string, string> = {}) => runStrata([...args, '--project-dir', d, '--profiles-dir', d], { env: { ...CLEAN_ENV, ...env } });

// A test that warns (severity: warn), and a model.
const WARNING_TEST = {
  'models/a.sql': 'select null as id',
  'models/a.yml': 'models:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - not_null: {config: {severity: warn}}\n',
};

describe('warn_error_options', () => {
  it('fails the command for the warnings it names (dbt event names or Strata codes), and only those', async () => {
    const d = project(WARNING_TEST);
    const weo = (json: string, extra: string[] = []) => strata(d, ['build', ...extra, '--warn-error-options', json]);
    expect((await strata(d, ['build'])).code).toBe(0);
    // A test that warns: dbt's LogTestResult.
    const failed = await weo('{"error": ["LogTestResult"]}');
    expect(failed.code, failed.out).toBe(1);
    expect((await weo('{"error": ["NoNodesForSelectionCriteria"]}')).code).toBe(0);
    expect((await weo('{"include": "all", "exclude": ["LogTestResult"]}')).code).toBe(0);
    expect((await weo('{error: all}')).code).toBe(1);
    // Before the command too, as dbt's global flag.
    expect((await strata(d, ['--warn-error-options', '{"error": ["LogTestResult"]}', 'build'])).code).toBe(1);
    // A selector that matches nothing: NoNodesForSelectionCriteria, or Strata's selector-matched-nothing; exit 2 before anything runs.
    const none = await weo('{"error": ["NoNodesForSelectionCriteria"]}', ['-s', 'a', 'nosuch']);
    expect(none.code, none.out).toBe(2);
    expect(none.out).toContain("'nosuch' does not match any node (a warning, an error by warn_error_options)");
    expect((await weo('{"error": ["selector-matched-nothing"]}', ['-s', 'a', 'nosuch'])).code).toBe(2);
    expect((await weo('{"error": "all", "warn": ["NoNodesForSelectionCriteria", "LogTestResult"]}', ['-s', 'a', 'nosuch'])).code).toBe(0);
    // As given to the retried run's arguments, with dbt's names.
    const args = (JSON.parse(readFileSync(join(d, 'target/run_results.json'), 'utf8')) as { args: Record<string, unknown> }).args;
    expect(args.warn_error_options).toEqual({ error: 'all', warn: ['NoNodesForSelectionCriteria', 'LogTestResult'], silence: [] });
  });

  it('is read from DBT_WARN_ERROR_OPTIONS and the project file flags:, the command line first', async () => {
    const d = project({ ...WARNING_TEST, 'project.yml': 'name: p\nprofile: p\nflags:\n  warn_error_options:\n    error: [NoNodeForYamlKey]\n', 'models/ghost.yml': 'models:\n  - name: ghost\n    description: no such model\n' });
    // A property entry for a model that does not exist: dbt's NoNodeForYamlKey.
    const fromFlags = await strata(d, ['build']);
    expect(fromFlags.code, fromFlags.out).toBe(2);
    expect(fromFlags.out).toContain("'ghost' is described in models/ghost.yml");
    expect((await strata(d, ['parse'])).code).toBe(2);
    expect((await strata(d, ['build'], { DBT_WARN_ERROR_OPTIONS: '{"error": ["LogTestResult"]}' })).code).toBe(1);
    const quiet = await strata(d, ['build', '--warn-error-options', '{"error": []}'], { DBT_WARN_ERROR_OPTIONS: '{"error": ["LogTestResult"]}' });
    expect(quiet.code).toBe(0);
    expect(quiet.out).toContain("'ghost' is described");
    // silence: the warning is not shown, and does not fail.
    const silenced = await strata(d, ['build', '--warn-error-options', '{"error": "all", "silence": ["NoNodeForYamlKey"], "warn": ["LogTestResult"]}']);
    expect(silenced.code, silenced.out).toBe(0);
    expect(silenced.out).not.toContain('ghost');
  });

  it('is a usage error (exit 2) naming what is wrong: an unknown name, error beside include', async () => {
    const d = project({ 'models/a.sql': 'select 1 as id' });
    const unknown = await strata(d, ['build', '--warn-error-options', '{"error": ["NoNodesForSelectionCriterion"]}']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("names 'NoNodesForSelectionCriterion', which is not a valid dbt error name nor a Strata warning code (did you mean 'NoNodesForSelectionCriteria'?)");
    const both = await strata(d, ['run', '--warn-error-options', '{"error": ["NothingToDo"], "include": ["NothingToDo"]}']);
    expect(both.code).toBe(2);
    expect(both.out).toContain("has both 'include' and 'error'");
    const fromEnv = await strata(d, ['build'], { DBT_WARN_ERROR_OPTIONS: '{"error": ["nothing-to-du"]}' });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.out).toContain("DBT_WARN_ERROR_OPTIONS names 'nothing-to-du', which is not a valid dbt error name nor a Strata warning code (did you mean 'nothing-to-do'?)");
    expect((await strata(d, ['run-operation', 'x', '--warn-error-options', '{"warn": ["NothingToDo"]}'])).out).toContain("'warn' (or 'exclude') can only be given when 'error' is \"all\"");
  });

  it('is refused beside --warn-error, wherever each is set, as dbt refuses the pair (exit 2, nothing run)', async () => {
    const d = project(WARNING_TEST);
    const message = 'warn_error_options: not allowed with argument warn_error';
    const both = await strata(d, ['--warn-error', 'build', '--warn-error-options', '{"error": ["LogTestResult"]}']);
    expect(both.code, both.out).toBe(2);
    expect(both.out).toContain(`${message} (--warn-error and --warn-error-options are both set, which dbt refuses)`);
    expect(both.out).not.toContain('START');
    const envAndFlag = await strata(d, ['build', '--warn-error-options', '{"error": "all"}'], { DBT_WARN_ERROR: 'false' });
    expect(envAndFlag.code).toBe(2);
    expect(envAndFlag.out).toContain(`${message} (DBT_WARN_ERROR and --warn-error-options are both set`);
    const e = project({ ...WARNING_TEST, 'project.yml': 'name: p\nprofile: p\nflags:\n  warn_error: true\n' });
    const projectAndEnv = await strata(e, ['build'], { DBT_WARN_ERROR_OPTIONS: '{"error": ["LogTestResult"]}' });
    expect(projectAndEnv.code).toBe(2);
    expect(projectAndEnv.out).toContain(`${message} (the project file's flags.warn_error and DBT_WARN_ERROR_OPTIONS are both set`);
    // Each alone is as before.
    expect((await strata(e, ['build'])).code).toBe(1);
    expect((await strata(d, ['build', '--warn-error-options', '{"error": ["LogTestResult"]}'])).code).toBe(1);
  });

  it('leaves a source freshness warning a warning, as dbt (its LogFreshnessResult is no warn_or_error event)', async () => {
    const hoursAgo = (h: number): string => new Date(Date.now() - h * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    const d = project({
      'seeds/stale.csv': `id,loaded_at\n1,${hoursAgo(30)}\n`,
      'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    schema: main\n    loaded_at_field: loaded_at\n    freshness:\n      warn_after: {count: 12, period: hour}\n      error_after: {count: 3, period: day}\n    tables:\n      - name: stale\n',
    });
    expect((await strata(d, ['seed'])).code).toBe(0);
    const plain = await strata(d, ['source', 'freshness']);
    expect(plain.code, plain.out).toBe(0);
    expect(plain.out).toMatch(/WARN=1/);
    for (const args of [['--warn-error', 'source', 'freshness'], ['source', 'freshness', '--warn-error-options', '{"error": ["LogFreshnessResult"]}'], ['source', 'freshness', '--warn-error-options', '{"error": "all"}']]) {
      const r = await strata(d, args);
      expect({ args, code: r.code }).toEqual({ args, code: 0 });
    }
  });

  it('decides as dbt does: a name beats all, warn and silence beat error', () => {
    const o = (v: unknown) => readWarnErrorOptions(v).options!;
    expect(warningFails('nothing-to-do', { warnErrorOptions: o({ error: 'all' }) })).toBe(true);
    expect(warningFails('nothing-to-do', { warnErrorOptions: o({ error: '*', warn: ['NothingToDo'] }) })).toBe(false);
    expect(warningFails('nothing-to-do', { warnErrorOptions: o({ error: 'all', silence: ['nothing-to-do'] }) })).toBe(false);
    expect(warningFails('nothing-to-do', { warnErrorOptions: o({ error: ['NothingToDo'] }) })).toBe(true);
    expect(warningFails('grants-unsupported', { warnErrorOptions: o({ error: ['NothingToDo'] }) })).toBe(false);
    expect(warningFails('grants-unsupported', { warnError: true })).toBe(true);
    expect(warningFails('grants-unsupported', {})).toBe(false);
    // An empty list is no value, as in Python: include's list is the one that counts.
    expect(warningFails('nothing-to-do', { warnErrorOptions: o({ error: [], include: ['NothingToDo'] }) })).toBe(true);
    expect(readWarnErrorOptions({ error: ['NothingToDo'], include: ['NothingToDo'] }).problem).toContain("has both 'include' and 'error'");
    // Deprecations: dbt's group of deprecation events (a config key that is no config is one in dbt 1.10).
    expect(warningFails('config-unknown-key', { warnErrorOptions: o({ error: ['Deprecations'] }) })).toBe(true);
    expect(warningFails('nothing-to-do', { warnErrorOptions: o({ error: ['Deprecations'] }) })).toBe(false);
    expect(warningFails('config-unknown-key', { warnErrorOptions: o({ error: ['Deprecations'], warn: ['config-unknown-key'] }) })).toBe(false);
  });
});
