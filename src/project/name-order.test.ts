import { describe, expect, it } from 'vitest';
import { compareNames } from './name-order.js';

const sign = (n: number): number => Math.sign(n);

describe('compareNames', () => {
  it("orders names of lowercase letters, digits and _ - . / as localeCompare does (ICU's order, not the code units')", () => {
    // Where the two orders differ: '_' before '-', '.', '/' and digits in ICU's, after them in the code units'.
    expect(['not_null_m_col1', 'not_null_m_col_a', 'day-2.csv', 'day_2.csv', 'day.csv', 'day/x', 'day'].sort(compareNames)).toEqual(['day', 'day_2.csv', 'day-2.csv', 'day.csv', 'day/x', 'not_null_m_col_a', 'not_null_m_col1']);
    // Random names over that alphabet, against localeCompare itself.
    const alphabet = '_-./09az5b';
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const name = (): string => Array.from({ length: Math.floor(random() * 7) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const [a, b] = [name(), name()];
      if (sign(compareNames(a, b)) !== sign(a.localeCompare(b))) expect([a, b, compareNames(a, b)]).toEqual([a, b, a.localeCompare(b)]);
    }
  });

  it('leaves any other name to localeCompare', () => {
    const names = ['b', 'B', 'a', 'A', 'a b', 'é', 'e', 'Z_1', 'z1'];
    expect([...names].sort(compareNames)).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});
