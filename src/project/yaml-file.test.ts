import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlFile, yamlParsers, type YamlFile } from './yaml-file.js';

const SAMPLES: Record<string, string> = {
  everything: `version: 2
defaults: &defaults
  materialized: table
  tags: [a, b]
models:
  - name: m1
    config: *defaults
    description: "quoted
      multi-line"
    columns:
      - name: id
        tests: [unique, not_null]
      - name: 'x y'
        data_tests:
          - accepted_values: {values: ['a', "b"], quote: true}
          - relationships:
              to: ref('m2')
              field: id
  - {name: m2, description: flow}
  - name: m3
    description: |-
      literal
      text
    meta: {owner: "me", n: 1.5, on: yes, off: ~, d: 2024-01-01}
    tags:
    - - nested
      - seq
    -
    - plain
      continued
"quoted key": 1
? complex
: value
empty:
nulls: null
octal: 0o17
hex: 0x1F
inf: .inf
keep: |+
  kept

strip: >-
  folded
  text
!!str tagged: !!int "42"
list:
- a
- b:
    c: 1
  d: 2
`,
  crlf: 'version: 2\r\nmodels:\r\n  - name: crlf\r\n    description: >\r\n      a\r\n      b\r\n    columns:\r\n      - name: c\r\n',
  bom: '\ufeffversion: 2\nmodels:\n  - name: bom\n',
  explicitDocument: '---\nversion: 2\nmodels:\n  # comment\n  - name: doc\n    config:\n      enabled: false\n...\n',
  empty: '',
  onlyComment: '# nothing\n',
  emptyBlock: 'key: |\n\nnext: 1\n',
  mergeKeys: 'defaults: &d\n  materialized: table\n  tags: [a]\nmodels:\n  - name: m\n    config:\n      <<: *d\n      tags: [b]\n',
};

/** Every key path of a parsed value, with the line each parser gives it. */
function lines(file: YamlFile): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  const visit = (v: unknown, path: (string | number)[]): void => {
    out.set(JSON.stringify(path), file.lineOf(path));
    if (Array.isArray(v)) v.forEach((c, i) => visit(c, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) visit(c, [...path, k]);
  };
  visit(file.value, []);
  return out;
}

describe('parseYamlFile', () => {
  const demoFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? demoFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
  const cases: [string, string][] = [...Object.entries(SAMPLES), ...[...demoFiles('models'), 'project.yml', 'profiles.yml'].map((f): [string, string] => [f, readFileSync(f, 'utf8')])];

  it.each(cases)('reads %s like the yaml package, values and lines', (name, text) => {
    const fast = yamlParsers.fast(name, text);
    const thorough = yamlParsers.thorough(name, text);
    expect(fast).toBeDefined();
    expect(fast!.file.value).toEqual(thorough.file!.value);
    const a = lines(fast!.file);
    const b = lines(thorough.file!);
    // An alias has no node of its own in yaml's tree: only there may the fast parser know more.
    for (const [path, line] of b) if (line !== undefined) expect([path, a.get(path)]).toEqual([path, line]);
  });

  it('reads PyYAML booleans (yes/no/on/off, not y/n) as dbt does', () => {
    const text = 'a: yes\nb: No\nc: ON\nd: off\ne: y\nf: n\ng: True\nh: "yes"\n';
    const expected = { a: true, b: false, c: true, d: false, e: 'y', f: 'n', g: true, h: 'yes' };
    expect(parseYamlFile('x.yml', text).file!.value).toEqual(expected);
    expect(yamlParsers.thorough('x.yml', text).file!.value).toEqual(expected);
  });

  it('merges `<<: *anchor` keys as dbt (PyYAML) does, the local keys winning', () => {
    const { file } = parseYamlFile('x.yml', SAMPLES.mergeKeys!);
    expect(file!.value).toEqual({ defaults: { materialized: 'table', tags: ['a'] }, models: [{ name: 'm', config: { materialized: 'table', tags: ['b'] } }] });
  });

  it('points at the indicator line of a block scalar and at the key line of an empty value', () => {
    const { file } = parseYamlFile('x.yml', SAMPLES.everything!);
    expect(file!.lineOf(['models', 2, 'description'])).toBe(21);
    expect(file!.lineOf(['empty'])).toBe(34);
    expect(file!.lineOf(['models', 0, 'columns', 1, 'data_tests', 1])).toBe(16);
    expect(file!.lineOf(['no', 'such', 'key'])).toBeUndefined();
  });

  it.each([
    ['a duplicate key (the later one wins, as in dbt)', 'a: 1\na: 2\n', { a: 2 }],
    ['a document nested deeper than 100 levels', `${'['.repeat(120)}1${']'.repeat(120)}`, undefined],
  ])('leaves %s to the yaml package', (_what, text, value) => {
    expect(yamlParsers.fast('x.yml', text)).toBeUndefined();
    const parsed = parseYamlFile('x.yml', text);
    expect(parsed.diagnostics).toEqual([]);
    if (value) expect(parsed.file!.value).toEqual(value);
  });

  it.each([
    ['an unclosed bracket (found at the end of the input)', 'a: [1, 2\n', 2],
    ['two documents', 'a: 1\n---\nb: 2\n', 2],
    ['a tab as indentation', 'a:\n\tb: 1\n', 2],
  ])('reports %s with the yaml package’s diagnostic and line', (_what, text, line) => {
    expect(yamlParsers.fast('bad.yml', text)).toBeUndefined();
    const parsed = parseYamlFile('bad.yml', text);
    expect(parsed.file).toBeUndefined();
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'yaml-syntax-error', file: 'bad.yml', line });
  });
});
