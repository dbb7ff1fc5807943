/**
 * Descriptions in property files: `{{ doc() }}` resolves wherever dbt allows it (a source column's too), and a
 * macro's `arguments:` (name, type, description) reach manifest.json, as dbt's macro properties.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectsRemovedAfterAll } from '../test-support/temp-projects.js';
import { parse } from '../api/index.js';

const project = projectsRemovedAfterAll();

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const manifestOf = (dir: string): Json => JSON.parse(readFileSync(join(dir, 'target', 'manifest.json'), 'utf8')) as Json;

describe('property descriptions', () => {
  it("resolves doc() in a source's, its table's and its columns' descriptions", async () => {
    const dir = project({
      'models/docs.md': '{% docs kiln_temp %}Peak temperature of the firing, in °C.{% enddocs %}\n{% docs pottery %}The pottery studio{% enddocs %}',
      'models/sources.yml': `version: 2
sources:
  - name: studio
    description: "{{ doc('pottery') }}"
    tables:
      - name: firings
        description: "Firings of {{ doc('pottery') }}"
        columns:
          - name: kiln_temp
            description: "{{ doc('kiln_temp') }}"
          - name: glaze
            description: plain words
`,
    });
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const s = manifestOf(dir).sources['source.p.studio.firings'];
    expect(s.source_description).toBe('The pottery studio');
    expect(s.description).toBe('Firings of The pottery studio');
    expect(s.columns.kiln_temp.description).toBe('Peak temperature of the firing, in °C.');
    expect(s.columns.glaze.description).toBe('plain words');
  });

  it("writes a macro's YAML arguments with their type and description; a macro without them lists its signature", async () => {
    const dir = project({
      'macros/glaze.sql': '{% macro glaze_cost(grams, price_per_kg=12) %}({{ grams }} * {{ price_per_kg }} / 1000.0){% endmacro %}\n{% macro bare(x) %}{{ x }}{% endmacro %}',
      'models/docs.md': '{% docs grams_arg %}Weight of glaze used.{% enddocs %}',
      'macros/glaze.yml': `version: 2
macros:
  - name: glaze_cost
    description: Cost of the glaze on one pot.
    arguments:
      - name: grams
        type: integer
        description: "{{ doc('grams_arg') }}"
      - name: price_per_kg
        type: number
`,
    });
    expect((await parse({ projectDir: dir, profilesDir: dir })).exitCode).toBe(0);
    const macros = manifestOf(dir).macros;
    expect(macros['macro.p.glaze_cost'].description).toBe('Cost of the glaze on one pot.');
    expect(macros['macro.p.glaze_cost'].arguments).toEqual([
      { name: 'grams', type: 'integer', description: 'Weight of glaze used.' },
      { name: 'price_per_kg', type: 'number', description: '' },
    ]);
    expect(macros['macro.p.bare'].arguments).toEqual([{ name: 'x', type: null, description: '' }]);
  });
});
