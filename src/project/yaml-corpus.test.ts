/**
 * YAML values as dbt sees them: each case of `yaml-corpus.json` was loaded by PyYAML (`yaml.safe_load`, as dbt
 * loads its files) and printed by Jinja2 (`{{ v }}`) in scripts/jinja-corpus/generate-yaml.py. Both of Strata's
 * parsers must read the same value, with the same types (`010` is 8, `1e3` text) and key order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { yamlParsers } from './yaml-file.js';
import { renderJinja } from '../templating/jinja/index.js';

interface YamlCase { name: string; yaml: string; expected: string }

const cases = JSON.parse(readFileSync(new URL('./yaml-corpus.json', import.meta.url), 'utf8')) as YamlCase[];

/** Cases where Strata knowingly differs from PyYAML: case name → the reason. */
const DEVIATIONS: Record<string, string> = {
  'date-in-a-list': 'dates stay text: PyYAML makes datetime.date / datetime objects, which print as such inside a list',
  'integral-floats': 'a float with no fraction (1.0) is a JavaScript number and prints as 1; PyYAML keeps it a float (1.0)',
};

const printed = (value: unknown): string => renderJinja('{{ v }}', { v: (value as Record<string, unknown>).v });

describe('YAML as PyYAML reads it', () => {
  const conforming = cases.filter((c) => !(c.name in DEVIATIONS));
  it.each(conforming.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const thorough = yamlParsers.thorough('case.yml', c.yaml);
    expect(thorough.diagnostics).toEqual([]);
    expect(printed(thorough.file!.value)).toBe(c.expected);
    // The fast parser refuses a duplicate key (the thorough one then reads the file); otherwise it must agree.
    const fast = yamlParsers.fast('case.yml', c.yaml);
    if (fast) expect(printed(fast.file.value)).toBe(c.expected);
    else expect(c.name).toBe('duplicate-key-last-wins');
  });
  for (const c of cases.filter((x) => x.name in DEVIATIONS)) {
    it.fails(`${c.name} (known deviation: ${DEVIATIONS[c.name]})`, () => {
      expect(printed(yamlParsers.thorough('case.yml', c.yaml).file!.value)).toBe(c.expected);
    });
  }
  it('lists only existing cases as deviations', () => {
    expect(Object.keys(DEVIATIONS).filter((n) => !cases.some((c) => c.name === n))).toEqual([]);
  });
});
