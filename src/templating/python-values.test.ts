/** Python's str(), repr(), `%` formatting and json.dumps; expected values are what CPython 3 prints. */
import { describe, it, expect } from 'vitest';
import { percentFormat, pyJsonDumps, pyModulo, pyRepr, pyStr } from './python-values.js';

describe('Python values', () => {
  it('str() and repr() as Python prints them', () => {
    expect([null, undefined, true, false, 3, 2.5, 'x'].map(pyStr)).toEqual(['None', 'None', 'True', 'False', '3', '2.5', 'x']);
    expect(pyStr([1, 'a', null, [true]])).toBe("[1, 'a', None, [True]]");
    expect(pyStr({ a: 1, b: "it's" })).toBe(`{'a': 1, 'b': "it's"}`);
    expect(pyRepr('a\nb')).toBe("'a\\nb'");
    // Objects with a string form of their own keep it (relations, dates).
    expect(pyStr({ toString: () => '"main"."t"' })).toBe('"main"."t"');
  });

  it('% formatting', () => {
    expect(percentFormat('%5.2f|%-5d|%05d|%+d|%x|%#x|%e|%g|%g|%g|%s|%r', [3.14159, 42, 42, 5, 255, 255, 12345.678, 0.0001, 1234567, 1e-5, [1, 'a'], 'x']))
      .toBe(" 3.14|42   |00042|+5|ff|0xff|1.234568e+04|0.0001|1.23457e+06|1e-05|[1, 'a']|'x'");
    expect(percentFormat('%(a)s-%(b)03d', { a: null, b: 7 })).toBe('None-007');
    expect([percentFormat('%c%c', [65, 'b']), percentFormat('%.3s', 'abcdef'), percentFormat('%10.4g', 3.14159), percentFormat('%G', 1e20), percentFormat('%g', 100000), percentFormat('%g', 1000000), percentFormat('%.2e', 0), percentFormat('%d%%', 5)])
      .toEqual(['Ab', 'abc', '     3.142', '1E+20', '100000', '1e+06', '0.00e+00', '5%']);
    expect(() => percentFormat('%s %s', ['a'])).toThrow('not enough arguments for format string');
    expect(() => percentFormat('%s', ['a', 'b'])).toThrow('not all arguments converted during string formatting');
  });

  it('modulo takes the sign of the divisor', () => {
    expect([pyModulo(-7, 3), pyModulo(7, -3), pyModulo(7, 3), pyModulo(-6, 3)]).toEqual([2, -2, 1, 0]);
  });

  it('json.dumps with its defaults', () => {
    expect(pyJsonDumps({ b: 'é', a: [1, true, null] })).toBe('{"b": "\\u00e9", "a": [1, true, null]}');
    expect(pyJsonDumps({ b: 1, a: 2 }, { sortKeys: true })).toBe('{"a": 2, "b": 1}');
    expect(pyJsonDumps({ a: [1, { c: 2 }] }, { indent: 2 })).toBe('{\n  "a": [\n    1,\n    {\n      "c": 2\n    }\n  ]\n}');
  });
});
