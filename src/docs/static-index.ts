import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A script as a data: URL: loaded by `<script src>` from any page, with no escaping of its text in HTML. */
function scriptUrl(js: string): string {
  return `data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`;
}

/**
 * `docs generate --static` (dbt's flag): the site written in target/docs/ as one self-contained file,
 * `<targetDir>/static_index.html`, that can be mailed or put on any file host. The stylesheet is inlined; the
 * scripts (the data, the app) are data: URLs, so no text of theirs can end the HTML's script element; the SQL
 * stays lazy, its script's URL handed to the app in `__STRATA_DOCS_SQL_SRC__`. Returns the file's path.
 */
export function writeStaticIndex(targetDir: string): string {
  const dir = join(targetDir, 'docs');
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  const sqlSrc = `window.__STRATA_DOCS_SQL_SRC__=${JSON.stringify(scriptUrl(read('data-sql.js')))};\n`;
  const parts: Array<[string, string]> = [
    ['<link rel="stylesheet" href="app.css">', `<style>\n${read('app.css').replace(/<\/style/gi, '<\\/style')}\n</style>`],
    ['<script src="data.js" defer></script>', `<script src="${scriptUrl(read('data.js') + sqlSrc)}" defer></script>`],
    ['<script src="app.js" defer></script>', `<script src="${scriptUrl(read('app.js'))}" defer></script>`],
  ];
  let html = read('index.html');
  for (const [tag, inline] of parts) {
    if (!html.includes(tag)) throw new Error(`the docs site's index.html has no ${tag}: the bundle and static-index.ts disagree`);
    html = html.replace(tag, () => inline);
  }
  const path = join(targetDir, 'static_index.html');
  writeFileSync(path, html);
  return path;
}
