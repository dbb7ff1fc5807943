/**
 * YAML as dbt reads it: PyYAML's `safe_load`, which follows YAML 1.1. Its plain scalars differ from YAML 1.2's
 * core schema: `010` is 8 (octal), `0b101`, `1_000` and `1:30` (base 60) are ints, a float needs a dot (`1e3`
 * is a string, `1.0e3` a float), `yes`/`no`/`on`/`off` are booleans. A mapping keeps its keys' order and their
 * types (`{1: jan}` has the int key 1), as the template engine's dicts do. Timestamps (`2026-01-05`) stay text.
 * The tags here are given to both parsers, js-yaml and `yaml` (yaml-file.ts).
 */
import type { ScalarTag, TagId } from 'yaml';
import { CORE_SCHEMA, NOT_RESOLVED, defineMappingTag, defineScalarTag, mergeTag } from 'js-yaml';
import { dictKeyString, dictKeys, setDictKey } from '../templating/jinja/index.js';

// PyYAML's resolver (yaml/resolver.py), each a whole plain scalar.
const PY_INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PY_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const PY_TRUE = /^(?:[Yy]es|YES|[Oo]n|ON|[Tt]rue|TRUE)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Oo]ff|OFF|[Ff]alse|FALSE)$/;

/** Base 60 (`1:30` is 90), as PyYAML's constructor reads `a:b:c`. */
function sexagesimal(digits: string, read: (part: string) => number): number {
  return digits.split(':').reduce((sum, part) => sum * 60 + read(part), 0);
}

/** PyYAML's int for a plain scalar its resolver calls an int, or undefined. */
export function pyYamlInt(source: string): number | undefined {
  if (!PY_INT.test(source)) return undefined;
  let s = source.replace(/_/g, '');
  const sign = s.startsWith('-') ? -1 : 1;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
  if (s.startsWith('0')) return sign * parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s, (p) => parseInt(p, 10));
  return sign * Number(s);
}

/** PyYAML's float for a plain scalar its resolver calls a float, or undefined. */
export function pyYamlFloat(source: string): number | undefined {
  if (!PY_FLOAT.test(source)) return undefined;
  let s = source.replace(/_/g, '').toLowerCase();
  const sign = s.startsWith('-') ? -1 : 1;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  if (s.includes(':')) return sign * sexagesimal(s, Number);
  return sign * Number(s);
}

const pyBool = (source: string): boolean | undefined => (PY_TRUE.test(source) ? true : PY_FALSE.test(source) ? false : undefined);
const resolved = <T>(v: T | undefined): T | typeof NOT_RESOLVED => (v === undefined ? NOT_RESOLVED : v);
const DIGIT_FIRST = ['-', '+', '.', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

const intTag = defineScalarTag('tag:yaml.org,2002:int', { implicit: true, implicitFirstChars: DIGIT_FIRST, resolve: (s) => resolved(pyYamlInt(s)), identify: (v) => typeof v === 'number' && Number.isInteger(v) });
const floatTag = defineScalarTag('tag:yaml.org,2002:float', { implicit: true, implicitFirstChars: DIGIT_FIRST, resolve: (s) => resolved(pyYamlFloat(s)), identify: (v) => typeof v === 'number' && !Number.isInteger(v) });
const boolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 'o', 'O', 't', 'T', 'f', 'F'],
  resolve: (s) => resolved(pyBool(s)),
  identify: (v) => typeof v === 'boolean',
});

/** A mapping as a template's dict: its keys' order and types kept (dict-order.ts, values.ts's setKey). */
const mapTag = defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (map, key, value) => {
    if (dictKeyString(key) === '__proto__') Object.defineProperty(map, '__proto__', { value, enumerable: true, writable: true, configurable: true });
    else setDictKey(map, key, value);
    return '';
  },
  has: (map, key) => Object.prototype.hasOwnProperty.call(map, dictKeyString(key)),
  keys: (map) => dictKeys(map),
  get: (map, key) => map[dictKeyString(key)],
  identify: () => false,
});

/** js-yaml's schema: the core schema with PyYAML's scalars, merge keys (`<<: *defaults`) and ordered mappings. */
export const PY_YAML_SCHEMA = CORE_SCHEMA.withTags(mergeTag, boolTag, intTag, floatTag, mapTag);

/** The same scalars for the `yaml` package: its core schema's ints, floats and booleans replaced by PyYAML's. */
export function pyYamlTags(tags: TagId | ScalarTag[] | unknown[]): unknown[] {
  const kept = (tags as { tag?: string }[]).filter((t) => !['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool'].includes(t.tag ?? ''));
  const tag = (name: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({ tag: `tag:yaml.org,2002:${name}`, default: true, test, resolve });
  return [
    ...kept,
    tag('bool', /^(?:[Yy]es|YES|[Oo]n|ON|[Tt]rue|TRUE|[Nn]o|NO|[Oo]ff|OFF|[Ff]alse|FALSE)$/, (s) => pyBool(s)),
    tag('int', PY_INT, (s) => pyYamlInt(s)),
    tag('float', PY_FLOAT, (s) => pyYamlFloat(s)),
  ];
}

/** A value of the `yaml` package read with `mapAsMap` as the template engine's dicts (an alias stays one object). */
export function mapsAsDicts(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (!value || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(mapsAsDicts(v, seen));
    return out;
  }
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of value) {
      const key = k instanceof Map || Array.isArray(k) ? JSON.stringify(mapsAsDicts(k, seen)) : k;
      if (dictKeyString(key) === '__proto__') Object.defineProperty(out, '__proto__', { value: mapsAsDicts(v, seen), enumerable: true, writable: true, configurable: true });
      else setDictKey(out, key, mapsAsDicts(v, seen));
    }
    return out;
  }
  return value;
}
