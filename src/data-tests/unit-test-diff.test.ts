/** A failed unit test's diff in dbt's daff shape (dbt-core's TestRunner.execute_unit_test, daff's TerminalDiffRender). */
import { describe, it, expect } from 'vitest';
import { unitTestDiff, unitTestFailure } from './unit-test-diff.js';

const ferries = (...rows: [number, string, boolean][]): Record<string, unknown>[] => rows.map(([id, port, sails]) => ({ id, port, sails }));

describe('unitTestDiff', () => {
  it('a changed cell is `expected→actual` on a `→` row, rows sorted, unchanged neighbours as context, padded before the commas', () => {
    const expected = ferries([3, 'Oban', true], [1, 'Mallaig', true], [2, 'Tobermory', false]);
    const actual = ferries([1, 'Mallaig', true], [2, 'Tobermory', true], [3, 'Oban', true]);
    expect(unitTestDiff(['id', 'port', 'sails'], expected, actual)).toBe(
      ['@@,id,port     ,sails', '  ,1 ,Mallaig  ,True', '→ ,2 ,Tobermory,False→True', '  ,3 ,Oban     ,True'].join('\n'),
    );
  });

  it('a missing row is `---`, an unexpected one `+++` (every column shown), rows far from a change one `...` row', () => {
    const expected = ferries([1, 'Mallaig', true], [2, 'Tobermory', true], [3, 'Oban', true], [4, 'Craignure', true]);
    const actual = ferries([1, 'Mallaig', true], [2, 'Tobermory', true], [3, 'Oban', true], [5, 'Lochboisdale', false]);
    expect(unitTestDiff(['id', 'port', 'sails'], expected, actual)).toBe(
      ['@@ ,id ,port        ,sails', '...,...,...         ,...', '   ,3  ,Oban        ,True', '---,4  ,Craignure   ,True', '+++,5  ,Lochboisdale,False'].join('\n'),
    );
  });

  it('columns that changed nowhere and are not next to a change or the key are one `...` column; null is NULL', () => {
    const row = (crew: number | null): Record<string, unknown> => ({ id: 7, port: 'Oban', berth: 'B', tide: 'high', crew });
    expect(unitTestDiff(['id', 'port', 'berth', 'tide', 'crew'], [row(12)], [row(null)])).toBe(['@@,id,port,...,tide,crew', '→ ,7 ,Oban,...,high,12→NULL'].join('\n'));
  });

  it('equal rows give no diff, and the failure carries dbt\'s words', () => {
    expect(unitTestDiff(['id'], [{ id: 1 }], [{ id: 1 }])).toBe('');
    expect(unitTestFailure('@@,id')).toEqual({ message: 'actual differs from expected:\n\n@@,id', resultMessage: '\n\nactual differs from expected:\n\n@@,id\n\n' });
  });
});
