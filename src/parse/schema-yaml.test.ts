import { describe, expect, it } from 'vitest';
import type { ProjectFile } from '../project/types.js';
import { readSchemaFiles } from './schema-yaml.js';

const file = (path: string, contents: string): ProjectFile => ({ kind: 'schema', path, pathInResource: path.replace(/^models\//, ''), resourcePath: 'models', absPath: `/x/${path}`, contents, checksum: path });

describe('property files', () => {
  it('read as dbt reads them: `enabled: no` disables, merge keys apply, lines point at each entry', () => {
    const props = readSchemaFiles([
      file('models/schema.yml', 'version: 2\nshared: &shared\n  materialized: table\nmodels:\n  - name: a\n    config:\n      enabled: no\n  - name: b\n    config:\n      <<: *shared\n      tags: [x]\n'),
    ]);
    expect(props.diagnostics).toEqual([]);
    expect(props.models.get('a')).toMatchObject({ line: 5, config: { enabled: false } });
    expect(props.models.get('b')).toMatchObject({ line: 8, config: { materialized: 'table', tags: ['x'] } });
  });
});
