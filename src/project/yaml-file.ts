import type { Node as YamlNode, Document, Tags } from 'yaml';
import { yamlPackage } from './yaml-package.js';
import { EVENT_ID, SCALAR_STYLE, constructFromEvents, getScalarValue, parseEvents } from 'js-yaml';
import { PY_YAML_SCHEMA, mapsAsDicts, pyYamlTags } from './yaml-schema.js';
import type { Diagnostic } from '../diagnostics/index.js';

/** A parsed YAML file that can tell where each value was written. */
export interface YamlFile {
  path: string;
  value: unknown;
  /** 1-based line of the node at a key path, e.g. ['models', 0, 'columns']. */
  lineOf(path: (string | number)[]): number | undefined;
  /** Whether the value at a key path is a plain (unquoted) scalar: only those does YAML read as timestamps, numbers… */
  isPlain(path: (string | number)[]): boolean;
}

/**
 * Parses YAML as dbt reads it (PyYAML's scalars and ordered mappings, yaml-schema.ts; merge keys), reporting syntax errors as
 * diagnostics with file, line and column.
 *
 * Two parsers: js-yaml reads well-formed files, about four times faster than `yaml` in a fresh process
 * (most of a cold parse of a large project's property files), and its event stream gives positions. Anything
 * js-yaml rejects (syntax errors, several documents, duplicate keys) goes to `yaml`, whose diagnostics are
 * better and which, like dbt, lets a later duplicate key win.
 */
export function parseYamlFile(path: string, text: string): { file?: YamlFile; diagnostics: Diagnostic[] } {
  const parsed = parseFast(path, text) ?? parseThorough(path, text);
  if (parsed.file && text.includes('*') && expandsBeyond(parsed.file.value, MAX_EXPANDED_VALUES)) {
    return { diagnostics: [{ code: 'yaml-alias-bomb', severity: 'error', message: `its aliases expand to more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values`, file: path, line: lineOfText(text, /(^|[\s[,{:-])\*[^\s,\]}]/m), hint: 'repeat the values you need instead of nesting aliases of aliases' }] };
  }
  return parsed;
}

/** How many values a YAML document may expand to once aliases are copied out (dbt projects hold thousands, not millions). */
const MAX_EXPANDED_VALUES = 1_000_000;

/** Whether a parsed value, counting each use of a shared (aliased) node again, holds more than `limit` values. */
function expandsBeyond(value: unknown, limit: number): boolean {
  const sizes = new Map<object, number>();
  const size = (v: unknown): number => {
    if (!v || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) return known;
    sizes.set(v, limit + 1); // a cycle counts as too big
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += size(child);
      if (n > limit) break;
    }
    sizes.set(v, n);
    return n;
  };
  return size(value) > limit;
}

/** 1-based line of the first match of `re` in `text`, if any. */
function lineOfText(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? text.slice(0, m.index + m[0].length).split('\n').length : undefined;
}

type Events = ReturnType<typeof parseEvents>;

function parseFast(path: string, text: string): { file: YamlFile; diagnostics: Diagnostic[] } | undefined {
  let events: Events;
  let documents: unknown[];
  try {
    events = parseEvents(text, { filename: path });
    // An alias bomb is left to `yaml`, which stops at 100 aliases.
    documents = constructFromEvents(events, { source: text, schema: PY_YAML_SCHEMA, maxAliases: 100 });
  } catch {
    return undefined;
  }
  if (documents.length > 1) return undefined;
  let lines: ((path: (string | number)[]) => number | undefined) | undefined;
  let thorough: YamlFile | undefined;
  // Empty nodes (`key:` with no value) have no position in the events: `yaml` knows their line. A key the file
  // does not have has no line in either (most lookups, e.g. of an optional project setting): `yaml` stays unloaded.
  const value = documents[0] ?? {};
  const lineOf = (keyPath: (string | number)[]): number | undefined => (lines ??= lineIndex(text, events))(keyPath) ?? (hasPath(value, keyPath) ? (thorough ??= parseThorough(path, text).file)?.lineOf(keyPath) : undefined);
  // Asked of a few values only (unit test rows that look like timestamps): `yaml` keeps each node's style.
  const isPlain = (keyPath: (string | number)[]): boolean => (thorough ??= parseThorough(path, text).file)?.isPlain(keyPath) ?? false;
  return { file: { path, value, lineOf, isPlain }, diagnostics: [] };
}

/** Whether `value` holds something (null included) at `keyPath`. */
function hasPath(value: unknown, keyPath: (string | number)[]): boolean {
  let at = value;
  for (const key of keyPath) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return false;
    at = (at as Record<string | number, unknown>)[key];
  }
  return true;
}

/**
 * Where each node of the document starts, by key path, from one walk over the events. A node's position is
 * where its value starts (the first key of a block mapping, the first dash of a block sequence), as `yaml` gives it.
 */
function lineIndex(text: string, events: Events): (path: (string | number)[]) => number | undefined {
  const starts = new Map<string, number>();
  // One frame per open collection: its path, and for a mapping whether the next node is a key.
  const frames: { path: string; seq: boolean; index: number; key: string | undefined; expectKey: boolean }[] = [];
  const place = (start: number): string | undefined => {
    const parent = frames[frames.length - 1];
    let path: string | undefined;
    if (!parent) path = '';
    else if (parent.seq) path = `${parent.path}\u0000${parent.index++}`;
    else if (parent.expectKey) return undefined;
    else path = parent.key === undefined ? undefined : `${parent.path}\u0000${parent.key}`;
    if (path !== undefined && start >= 0 && !starts.has(path)) starts.set(path, start);
    return path;
  };
  for (const e of events) {
    const parent = frames[frames.length - 1];
    const isKey = parent !== undefined && !parent.seq && parent.expectKey;
    switch (e.type) {
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS: {
        if (isKey) {
          parent.key = e.type === EVENT_ID.SCALAR ? getScalarValue(text, e) : undefined;
          parent.expectKey = false;
        } else {
          // A block scalar (`|`, `>`) starts at its indicator, on the line before its text.
          const block = e.type === EVENT_ID.SCALAR && (e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK) && e.valueStart > 0;
          place(e.type === EVENT_ID.ALIAS ? e.anchorStart : block ? Math.max(text.lastIndexOf('|', e.valueStart - 1), text.lastIndexOf('>', e.valueStart - 1)) : e.valueStart);
          if (parent && !parent.seq) parent.expectKey = true;
        }
        break;
      }
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        // A collection used as a key (`? [a, b]`) has no path of its own, nor anything inside it.
        const path = isKey ? undefined : place(e.start);
        frames.push({ path: path ?? '\u0001', seq: e.type === EVENT_ID.SEQUENCE, index: 0, key: undefined, expectKey: true });
        break;
      }
      case EVENT_ID.POP: {
        frames.pop();
        const outer = frames[frames.length - 1];
        if (outer && !outer.seq) {
          if (outer.expectKey) outer.key = undefined;
          outer.expectKey = !outer.expectKey;
        }
        break;
      }
      default:
        break;
    }
  }
  let lineStarts: number[] | undefined;
  return (keyPath) => {
    const start = starts.get(keyPath.length ? `\u0000${keyPath.join('\u0000')}` : '');
    if (start === undefined) return undefined;
    lineStarts ??= newlineOffsets(text);
    // Binary search: the number of line starts at or before the offset is the 1-based line.
    let lo = 0;
    let hi = lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lineStarts[mid]! <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function newlineOffsets(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function parseThorough(path: string, text: string): { file?: YamlFile; diagnostics: Diagnostic[] } {
  const { LineCounter, parseDocument, isMap, isSeq, isScalar } = yamlPackage();
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, merge: true, customTags: (tags) => pyYamlTags(tags) as Tags });
  if (doc.errors.length) {
    return {
      diagnostics: doc.errors.map((e) => {
        // prettyErrors is off (its message repeats the source), so the position is turned into a line here.
        const pos = e.pos[0] >= 0 ? lineCounter.linePos(e.pos[0]) : undefined;
        return {
          code: 'yaml-syntax-error',
          severity: 'error' as const,
          message: `invalid YAML: ${e.message.split('\n')[0]}`,
          file: path,
          line: pos?.line,
          column: pos?.col,
          hint: 'check indentation and that brackets and quotes are closed',
        };
      }),
    };
  }
  const lineOf = (keyPath: (string | number)[]): number | undefined => {
    const node = doc.getIn(keyPath, true) as YamlNode | undefined;
    const range = node && (isMap(node) || isSeq(node) || isScalar(node)) ? node.range : undefined;
    if (!range) return undefined;
    return lineCounter.linePos(range[0]).line;
  };
  let value: unknown;
  try {
    value = mapsAsDicts(doc.toJS({ maxAliasCount: 100, mapAsMap: true })) ?? {};
  } catch (e) {
    // A merge key (`<<: *x`) of something not a map, an alias bomb: the document has no value.
    const message = (e as Error).message.split('\n')[0];
    const line = /merge/i.test(message) ? lineOfText(text, /^\s*<<\s*:/m) : lineOfText(text, /(^|[\s[,{:-])\*[^\s,\]}]/m);
    return { diagnostics: [{ code: 'yaml-syntax-error', severity: 'error', message: `invalid YAML: ${message}`, file: path, line, hint: 'a merge key (<<) takes a map or an alias of a map defined above it (&name); check the anchors and aliases' }] };
  }
  const isPlain = (keyPath: (string | number)[]): boolean => {
    const node = doc.getIn(keyPath, true) as YamlNode | undefined;
    return node !== undefined && isScalar(node) && node.type === 'PLAIN';
  };
  return { file: { path, value, lineOf, isPlain }, diagnostics: [] };
}

/** Both parsers, for tests that check they agree. */
export const yamlParsers = { fast: parseFast, thorough: parseThorough };
