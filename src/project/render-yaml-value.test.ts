import { describe, it, expect, afterAll } from 'vitest';
import { renderYamlString } from './render-yaml-value.js';
import { writeProject, removeProject, DUCKDB_PROFILE } from '../test-support/fixture-project.js';
import { parse } from '../api/index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('YAML values render through the template engine', () => {
  it('evaluates any expression, keeps a single expression’s type, and reads env vars and vars', () => {
    const ctx = { env: { S: 'sales', P: '5432', ON: 'yes' }, vars: { region: 'eu' } };
    expect(renderYamlString("{{ env_var('S', 'a') ~ '_dev' }}", ctx)).toEqual({ ok: true, value: 'sales_dev' });
    expect(renderYamlString("{{ env_var('NOPE', 'a') ~ '_dev' }}", ctx)).toEqual({ ok: true, value: 'a_dev' });
    expect(renderYamlString("{{ env_var('P') | as_number }}", ctx)).toEqual({ ok: true, value: 5432 });
    expect(renderYamlString("{{ env_var('ON') | as_bool }}", ctx)).toEqual({ ok: true, value: true });
    expect(renderYamlString("schema_{{ var('region') | upper }}", ctx)).toEqual({ ok: true, value: 'schema_EU' });
    expect(renderYamlString("{{ 'table' if var('region') == 'eu' else 'view' }}", ctx)).toEqual({ ok: true, value: 'table' });
    expect(renderYamlString('id = {{ 1 + 1 }}', ctx)).toEqual({ ok: true, value: 'id = 2' });
  });

  it('reports what it cannot evaluate instead of passing the text through', () => {
    const ctx = { env: {}, vars: {} };
    expect(renderYamlString("{{ env_var('MISSING') }}", ctx)).toEqual({ ok: false, kind: 'env_var', missing: 'MISSING' });
    expect(renderYamlString("{{ env_var( }}", ctx)).toMatchObject({ ok: false, kind: 'template' });
    expect(renderYamlString('{{ no_such_function() }}', ctx)).toMatchObject({ ok: false, kind: 'template' });
  });

  it('stops the project with the file and line of a value that does not render', async () => {
    const dir = writeProject({
      'project.yml': "name: p\nprofile: p\nmodels:\n  p:\n    +schema: \"{{ env_var('S', 'a') ~ }}\"\n",
      'profiles.yml': DUCKDB_PROFILE(),
      'models/m.sql': 'select 1 as x',
    });
    dirs.push(dir);
    const r = await parse({ projectDir: dir, profilesDir: dir });
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'jinja-render-error', file: 'project.yml', line: 5 })]));
  });
});
