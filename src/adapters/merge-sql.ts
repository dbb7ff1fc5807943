/**
 * A merge's `when matched` clause: the listed columns take the source's values. None listed (every
 * column excluded by `merge_exclude_columns`): no clause, so matched rows stay as they are and only new
 * keys are inserted.
 */
export function whenMatched(updateColumns: string[], quote: (column: string) => string): string {
  if (!updateColumns.length) return '';
  return `\nwhen matched then update set ${updateColumns.map((c) => `${quote(c)} = DBT_INTERNAL_SOURCE.${quote(c)}`).join(', ')}`;
}
