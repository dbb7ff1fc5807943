import { locate, type Diagnostic } from '../diagnostics/index.js';
import type { ProjectFile } from '../project/types.js';

/** A SQL file with bytes that are not UTF-8 (read as U+FFFD): named with its line, never sent to a warehouse. */
export function notUtf8Diagnostics(file: ProjectFile): Diagnostic[] {
  const at = file.contents.indexOf('\uFFFD');
  if (at === -1) return [];
  return [{ code: 'file-not-utf8', severity: 'error', message: `${file.path} is not UTF-8 text: it has bytes no character is made of`, file: file.path, ...locate(file.contents, at), hint: 'save the file as UTF-8; a binary file does not belong in the model paths' }];
}
