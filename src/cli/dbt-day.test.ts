/** A dbt user's day at the command line (issue 20, items 6, 7, 8, 10): what dbt users type without thinking works. */
import { describe, it, expect, afterAll } from 'vitest';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { runStrata } from '../test-support/strata-cli.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

const FILES = {
  'models/a.sql': "{{ config(materialized='table') }} select 1 as id",
  'models/b.sql': "select id from {{ ref('a') }}",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\nsources:\n  - name: raw\n    tables:\n      - name: events\nexposures:\n  - name: dash\n    type: dashboard\n    owner: {email: a@example.com}\n    depends_on: [ref(\'b\')]\n',
  'models/score.py': 'def model(dbt, session):\n    return dbt.ref("a")\n',
  'analyses/explore.sql': "select count(*) from {{ ref('b') }}",
};
const dir = writeProject(FILES);
dirs.push(dir);
const strata = async (...args: string[]) => {
  const r = await runStrata(args, { cwd: dir });
  return { code: r.code, out: r.stdout, err: r.stderr, all: r.out };
};

/** The node lines of `ls` output, without the Python model's warning and its hint. */
const nodes = (out: string): string[] => out.split('\n').filter((l) => l && !l.includes('warn [') && !l.startsWith('  hint'));

describe("a dbt user's day", () => {
  it('prints short usage with no command, and suggests the command meant', async () => {
    const none = await strata();
    expect(none.code).toBe(0);
    expect(none.out).toMatch(/^Usage: strata <command>/);
    expect(none.out.split('\n').length).toBeLessThan(15);
    const typo = await strata('biuld');
    expect(typo.code).toBe(2);
    expect(typo.all).toContain('Did you mean build?');
  });

  it('takes global flags before the command', async () => {
    const r = await strata('--log-format', 'json', '--warn-error', 'ls', '--resource-type', 'model');
    // --warn-error turns the Python model's warning into an error: proof the flag reached the command.
    expect(r.code).toBe(2);
    expect(r.all).toContain('python-model-unsupported');
    const ok = await strata('--log-format', 'json', 'ls', '--output', 'name', '--resource-type', 'model');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('"code":"python-model-unsupported"');
    // dbt's cache flag (its adapter suite's BaseCachingSelectedSchemaOnly writes it first), accepted there too.
    const cached = await strata('--cache-selected-only', 'ls', '--output', 'name', '--resource-type', 'model');
    expect([cached.code, nodes(cached.out)]).toEqual([0, ['a', 'b']]);
  });

  it('names a Python model instead of skipping it in silence', async () => {
    const r = await strata('ls');
    expect(r.all).toMatch(/models\/score\.py:1: warn \[python-model-unsupported\]/);
  });

  it('-m/--models is --select', async () => {
    expect(nodes((await strata('ls', '-m', 'b', '--output', 'name')).out)).toEqual(['b']);
    expect(nodes((await strata('ls', '--models', 'a', '--resource-type', 'model', '--output', 'name')).out)).toEqual(['a']);
  });

  it('ls --output json --output-keys, --resource-type all|default, and an unknown type', async () => {
    const keys = await strata('ls', '--output', 'json', '--output-keys', 'name,resource_type', '-s', 'a', '--resource-type', 'model');
    expect(nodes(keys.out)).toEqual(['{"name":"a","resource_type":"model"}']);
    // dbt's documented form: one quoted, space-separated value.
    const quoted = await strata('ls', '--output', 'json', '--output-keys', 'name resource_type', '-s', 'a', '--resource-type', 'model');
    expect(nodes(quoted.out)).toEqual(['{"name":"a","resource_type":"model"}']);
    // A source's JSON names its source (dbt's source_name); any node key dbt prints can be asked for.
    expect(JSON.parse(nodes((await strata('ls', '--output', 'json', '-s', 'source:raw.events')).out)[0]!)).toMatchObject({ name: 'events', source_name: 'raw', resource_type: 'source' });
    expect(nodes((await strata('ls', '--output', 'json', '--output-keys', 'name schema meta', '-s', 'a', '--resource-type', 'model')).out)).toEqual(['{"name":"a","schema":"main","meta":{}}']);
    // As dbt's ls: analyses only with --resource-type all (or analysis), not by default.
    const every = nodes((await strata('ls')).out);
    expect(every.length).toBeGreaterThan(4);
    expect(every.filter((l) => l.includes('explore'))).toEqual([]);
    const all = nodes((await strata('ls', '--resource-type', 'all')).out);
    expect(all.filter((l) => !every.includes(l))).toEqual(['p.explore']);
    expect(nodes((await strata('ls', '--resource-type', 'default')).out)).toEqual(every);
    expect(nodes((await strata('ls', '--resource-type', 'analysis', '--output', 'name')).out)).toEqual(['explore']);
    expect(nodes((await strata('ls', '--resource-type', 'default', 'analysis')).out)).toEqual(all);
    const noTests = nodes((await strata('ls', '--exclude-resource-type', 'test', 'source')).out);
    expect(noTests).toEqual(every.filter((l) => !l.startsWith('p.not_null') && !l.startsWith('source:')));
    const bad = await strata('ls', '--resource-type', 'modle');
    expect(bad.code).toBe(2);
    expect(bad.all).toContain("did you mean 'model'?");
  });

  it('every selector ls prints selects its node when fed back to --select', async () => {
    const lines = nodes((await strata('ls')).out);
    expect(lines).toEqual(expect.arrayContaining(['source:p.raw.events', 'exposure:p.dash']));
    for (const line of lines) expect(nodes((await strata('ls', '-s', line)).out), line).toContain(line);
  });

  it('compile -s prints the named node\'s SQL; compile --inline prints the query', async () => {
    const one = await strata('compile', '-s', 'b');
    expect(one.code).toBe(0);
    expect(one.out).toContain("Compiled node 'b' is:\nselect id from \"test\".\"main\".\"a\"");
    const inline = await strata('compile', '--inline', "select count(*) from {{ ref('b') }}");
    expect(inline.code).toBe(0);
    expect(inline.out).toContain('select count(*) from "test"."main"."b"');
  });
});
