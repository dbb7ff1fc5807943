import { describe, it, expect } from 'vitest';
import { dbtVersionProblem, installedVersionWarnings, formatRange, highestIn, intersect, parseSpecifier, rangeOf, type VersionRange } from './semver.js';

const range = (...specs: string[]): VersionRange | undefined => specs.reduce<VersionRange | undefined>((r, s) => r && intersect(r, rangeOf(parseSpecifier(s)!)), {});

describe('semver as dbt reads it', () => {
  it.each([
    [['>=1.0.0', '<2.0.0'], ['0.9.0', '1.0.0', '1.9.3', '2.0.0'], '1.9.3'],
    [['1.2.0'], ['1.1.0', '1.2.0', '1.3.0'], '1.2.0'],
    [['>1.2.0'], ['1.2.0', '1.10.0', '1.9.0'], '1.10.0'],
    [['<=1.2.0'], ['1.2.0', '1.2.1'], '1.2.0'],
    [['>=1.0.0'], ['1.0.0', '2.0.0-rc1'], '1.0.0'],
  ])('%j picks from %j: %s', (specs, available, expected) => {
    expect(highestIn(range(...specs)!, available, false)).toBe(expected);
  });

  it('sorts pre-releases before their release, and installs one only when allowed', () => {
    expect(highestIn(range('>=1.0.0')!, ['1.0.0', '1.1.0-b1'], true)).toBe('1.1.0-b1');
    expect(highestIn(range('>=1.0.0')!, ['1.1.0-b1', '1.1.0'], true)).toBe('1.1.0');
  });

  it('intersects ranges, undefined when they do not overlap', () => {
    expect(formatRange(range('>=1.0.0', '<2.0.0', '>=1.5.0')!)).toBe('>=1.5.0, <2.0.0');
    expect(range('>=2.0.0', '<2.0.0')).toBeUndefined();
    expect(range('1.0.0', '>1.0.0')).toBeUndefined();
    expect(formatRange(range('1.0.0', '>=1.0.0')!)).toBe('=1.0.0');
  });

  it('rejects what dbt rejects', () => {
    expect(parseSpecifier('>=1.x')).toBeUndefined();
    expect(parseSpecifier('1.0')).toBeUndefined();
    expect(parseSpecifier('~1.0.0')).toBeUndefined();
  });

  it('checks require-dbt-version', () => {
    expect(dbtVersionProblem(['>=1.3.0', '<2.0.0'], '1.8.0')).toBeUndefined();
    expect(dbtVersionProblem('>=1.9.0', '1.8.0')).toContain('requires dbt >=1.9.0');
    expect(dbtVersionProblem(undefined, '1.8.0')).toBeUndefined();
    // dbt splits a single text at commas: ">=1.3.0,<2.0.0" is two specifiers.
    expect(dbtVersionProblem('>=1.3.0, <2.0.0', '1.8.0')).toBeUndefined();
    expect(dbtVersionProblem('>=1.3.0,<1.5.0', '1.8.0')).toContain('requires dbt >=1.3.0, <1.5.0');
    expect(installedVersionWarnings([{ name: 'new_pkg', dir: 'dbt_packages/new_pkg', requireDbtVersion: '>=1.9.0' }, { name: 'ok', dir: 'dbt_packages/ok' }], '1.8.0')).toEqual([
      expect.objectContaining({ code: 'package-dbt-version', severity: 'warn', file: 'dbt_packages/new_pkg/dbt_project.yml' }),
    ]);
  });
});
