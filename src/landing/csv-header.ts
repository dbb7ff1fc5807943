import { closeSync, openSync, readSync } from 'node:fs';

/** The column names on the first line of a CSV file; an error when there is none, or one is empty or repeated. */
export function headerNames(file: string, delim: string, quote: string): string[] {
  const line = firstLine(file).replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (!line.trim()) throw new Error('the file is empty: a CSV file needs a header line naming its columns');
  const names: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === quote && line[i + 1] === quote) (cur += quote), i++;
      else if (ch === quote) quoted = false;
      else cur += ch;
    } else if (ch === quote) quoted = true;
    else if (line.startsWith(delim, i)) (names.push(cur), (cur = ''), (i += delim.length - 1));
    else cur += ch;
  }
  names.push(cur);
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (!n.trim()) throw new Error(`line 1 (the header): column ${i + 1} has no name`);
    if (seen.has(n.toLowerCase())) throw new Error(`line 1 (the header): column '${n}' appears twice`);
    seen.add(n.toLowerCase());
  });
  return names;
}

/** The first line of a file, read in small chunks (a landed file may be large). */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (let total = 0; total < 16 * 1024 * 1024; ) {
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl === -1 ? n : nl)));
      if (nl !== -1) break;
      total += n;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
