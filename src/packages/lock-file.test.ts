import { describe, it, expect } from 'vitest';
import { packagesHash, pythonJson } from './lock-file.js';
import { hashForm, specOf } from './package-specs.js';

const hashOf = (entries: Record<string, unknown>[]): string =>
  packagesHash(entries.map((e) => {
    const spec = specOf(e, e, { file: 'packages.yml', by: 'packages.yml' }, '/p');
    if ('code' in spec) throw new Error(spec.message);
    return hashForm(spec, e);
  }));

describe('package-lock.yml sha1_hash', () => {
  it("is dbt's: the hash dbt wrote for dbt-utils' integration_tests (packages: [{local: ../}])", () => {
    expect(hashOf([{ local: '../' }])).toBe('de2deba3d66ce03d8c02949013650cc9b94f6030');
  });

  it('does not depend on the order of entries, and changes with any of them', () => {
    const a = { git: 'https://example.invalid/a.git', revision: 'v1' };
    const b = { local: '../b' };
    expect(hashOf([a, b])).toBe(hashOf([b, a]));
    expect(hashOf([a, b])).not.toBe(hashOf([{ ...a, revision: 'v2' }, b]));
  });

  it("serialises as Python's json.dumps(sort_keys=True)", () => {
    expect(pythonJson({ b: [1, true, null], a: 'é' })).toBe('{"a": "\\u00e9", "b": [1, true, null]}');
  });
});
