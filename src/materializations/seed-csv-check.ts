import { readFileSync } from 'node:fs';
import { UserError } from '../diagnostics/index.js';

/**
 * A seed file must parse cleanly before it replaces its table: a header naming every column, and each row
 * with as many fields as the header. Otherwise a UserError naming the file and line; the old table stays.
 */
export function checkSeedCsv(file: string, shownPath: string, delimiter = ','): void {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const fail = (line: number, message: string, hint: string): never => {
    throw new UserError({ code: 'seed-invalid', severity: 'error', message: `seed ${shownPath}: ${message}`, file: shownPath, line, hint });
  };
  if (!text.trim()) fail(1, 'the file is empty', 'a seed needs a header line naming its columns, then one line per row');
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
