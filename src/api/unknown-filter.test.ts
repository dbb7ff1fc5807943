/**
 * A filter Jinja2 lacks, as dbt meets it: in a model (compiled whole at parse) an error with the line and the
 * closest filter; in a macro file a warning, since dbt compiles a macro only when it is called, and then an error
 * at the call naming the macro's line.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { writeProject, removeProject } from '../test-support/fixture-project.js';
import { compile, parse } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeProject));

describe('unknown Jinja filters', () => {
  it('in a macro nothing calls: a warning with file and line, and the project parses and compiles (dbt accepts it)', async () => {
    const dir = writeProject({
      'models/tiles.sql': 'select {{ tidy_name("x") }} as id',
      'macros/names.sql': "{% macro tidy_name(c) %}'{{ c | upper }}'{% endmacro %}\n\n{% macro shout(c) %}\n{{ c | loud }}\n{% endmacro %}\n",
    });
    dirs.push(dir);
    const parsed = await parse({ projectDir: dir, profilesDir: dir, noParseCache: true });
    expect(parsed.exitCode).toBe(0);
    expect(parsed.diagnostics).toContainEqual(expect.objectContaining({ code: 'jinja-unknown-filter', severity: 'warn', file: 'macros/names.sql', line: 4, message: expect.stringContaining("No filter named 'loud'") }));
    const compiled = await compile({ projectDir: dir, profilesDir: dir });
    expect(compiled.exitCode).toBe(0);
    expect(compiled.compiled.get('model.p.tiles')).toBe("select 'X' as id");
  });

  it('in a macro a model calls: an error at the call, naming the macro file and line (exit 2)', async () => {
    const dir = writeProject({
      'models/tiles.sql': 'select {{ shout("x") }} as id',
      'macros/names.sql': '{% macro shout(c) %}\n{{ c | loud }}\n{% endmacro %}\n',
    });
    dirs.push(dir);
    const out = await compile({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(2);
    expect(out.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ file: 'models/tiles.sql', message: expect.stringMatching(/No filter named 'loud'.*macros\/names\.sql:2/) });
  });

  it('in a model: a parse error at its line with the closest filter; inside an if that does not run, accepted (as Jinja2)', async () => {
    const dir = writeProject({ 'models/tiles.sql': "select 1 as id\n{{ 'x' | lowr }}\n" });
    dirs.push(dir);
    const out = await parse({ projectDir: dir, profilesDir: dir });
    expect(out.exitCode).toBe(2);
    expect(out.diagnostics[0]).toMatchObject({ code: 'jinja-syntax-error', file: 'models/tiles.sql', line: 2, hint: expect.stringContaining("did you mean 'lower'?") });
    const soft = writeProject({ 'models/tiles.sql': "select 1 as id\n{% if false %}{{ 'x' | lowr }}{% endif %}\n" });
    dirs.push(soft);
    expect((await parse({ projectDir: soft, profilesDir: soft })).exitCode).toBe(0);
  });
});
