import { readFileSync } from 'node:fs';
import { UserError } from '../diagnostics/index.js';

/**
 * A seed file must parse cleanly before it replaces its table: a header naming every column, and each row
 * with as many fields as the header. Otherwise a UserError naming the file and line; the old table stays.
 */
export function checkSeedCsv(file: string, shownPath: string, delimiter = ',', quoteColumns = true): void {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const fail = (line: number, message: string, hint: string): never => {
    throw new UserError({ code: 'seed-invalid', severity: 'error', message: `seed ${shownPath}: ${message}`, file: shownPath, line, hint });
  };
  if (!text.trim()) fail(1, 'the file is empty', 'a seed needs a header line naming its columns, then one line per row');
  if (!quoteColumns) checkPlainNames(text, delimiter, fail);
  let fields = 1;
  let header = -1;
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let blankRecord = true;
  const endRecord = (): void => {
    if (blankRecord && fields === 1) return; // blank lines are skipped, as by the CSV reader
    if (header === -1) header = fields;
    else if (fields !== header) fail(recordLine, `line ${recordLine} has ${fields} field${fields === 1 ? '' : 's'}, the header ${header}`, 'give every row as many fields as the header names (quote values that contain the delimiter)');
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
      else if (ch === '\n') line++;
      continue;
    }
    if (ch === '"') (quoted = true), (blankRecord = false);
    else if (text.startsWith(delimiter, i)) (fields++, (blankRecord = false), (i += delimiter.length - 1));
    else if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
      fields = 1;
      blankRecord = true;
    } else if (ch !== '\r' && ch !== ' ' && ch !== '\t') blankRecord = false;
  }
  if (quoted) fail(recordLine, `a quote opened on line ${recordLine} is never closed`, 'close the quote, or double a quote inside a quoted value ("")');
  endRecord();
}

/**
 * `quote_columns: false`: dbt writes the header's names unquoted in the table's DDL, so a name that is not a
 * plain SQL name fails the seed with the warehouse's syntax error (dbt-duckdb's TestSeedWithWrongDelimiter: a
 * wrong `delimiter` reads the header as one name full of the real delimiter). Said before the load, with the fix.
 */
function checkPlainNames(text: string, delimiter: string, fail: (line: number, message: string, hint: string) => never): void {
  const header = (text.split(/\r?\n/).find((l) => l.trim()) ?? '').split(delimiter).map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
  const bad = header.find((n) => !/^[A-Za-z_][A-Za-z0-9_$]*$/.test(n));
  if (bad === undefined) return;
  const oneColumn = header.length === 1 ? ` (the header was read as one column with delimiter '${delimiter}')` : '';
  fail(1, `column name "${bad}" is not a plain SQL name and quote_columns is false: its create table statement would be a syntax error${oneColumn}`, header.length === 1 ? "check the seed's delimiter config, or set quote_columns: true" : 'rename the column in the header, or set quote_columns: true');
}
