/**
 * dbt's context functions that keep no state of their own: serialisation (`tojson`, `fromjson`, `fromyaml`,
 * `toyaml`), `zip`, `set`, `local_md5`, and the message functions (`log`, `print`, `exceptions`).
 */
import { setFunction, setStrictFunction } from './python-set.js';
import { splitArgs } from './call-args.js';
import { TemplateUserError } from './signals.js';
import type { RunRenderContext, TemplateEnvironmentOptions } from './types.js';
import { dictKeyString, dictKeys, isDict, pyJsonDumps, pyJsonLoads, tuple as pyTuple } from './jinja/index.js';
import { hexDigest, parseYamlFile } from '../project/index.js';
import { yamlPackage } from '../project/yaml-package.js';

type Args = unknown[];

/** Dicts as Maps for the `yaml` package, which then writes their keys in order and as they are (`1: jan`, not `'1': jan`). */
function yamlMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(yamlMaps);
  if (isDict(v)) return new Map(dictKeys(v).map((k) => [k, yamlMaps(v[dictKeyString(k)])]));
  return v;
}

/** json.dumps, yaml.safe_load / safe_dump, zip, set and hashlib.md5, as dbt calls them. */
export const DATA_FUNCTIONS: Record<string, unknown> = {
  tojson: (...args: Args) => {
    const { pos, kw } = splitArgs(args);
    try {
      return pyJsonDumps(pos[0], { sortKeys: Boolean(kw.sort_keys ?? pos[2]) });
    } catch {
      return kw.default ?? pos[1] ?? null;
    }
  },
  fromjson: (s: string, def?: unknown) => {
    try {
      return pyJsonLoads(s);
    } catch {
      return def ?? null;
    }
  },
  fromyaml: (...args: Args) => {
    const { pos, kw } = splitArgs(args);
    const parsed = typeof pos[0] === 'string' ? parseYamlFile('fromyaml', pos[0]) : undefined;
    return parsed?.file && !parsed.diagnostics.length ? parsed.file.value : (kw.default ?? pos[1] ?? null);
  },
  toyaml: (...args: Args) => {
    const { pos, kw } = splitArgs(args);
    try {
      return yamlPackage().stringify(yamlMaps(pos[0]), { indentSeq: false, singleQuote: true, sortMapEntries: Boolean(kw.sort_keys ?? pos[2]) });
    } catch {
      return kw.default ?? pos[1] ?? null;
    }
  },
  // dbt's: zip(*args, default=None) gives `default` when an argument is not iterable; zip_strict raises then.
  zip: (...args: Args) => {
    const { pos, kw } = splitArgs(args);
    const lists = iterables(pos);
    return lists ? zipped(lists) : (kw.default ?? null);
  },
  zip_strict: (...args: Args) => {
    const lists = iterables(args);
    if (!lists) throw new TemplateUserError('compiler-error', 'zip_strict: every argument must be iterable (a list, a tuple or a string)');
    return zipped(lists);
  },
  set: setFunction,
  set_strict: setStrictFunction,
  local_md5: (s: unknown) => hexDigest('md5', String(s)),
};

/** The arguments as lists (a string is its characters, as in Python), or undefined when one is not iterable. */
function iterables(args: unknown[]): unknown[][] | undefined {
  const lists = args.map((a) => (Array.isArray(a) ? a : typeof a === 'string' ? [...a] : undefined));
  return lists.every((l) => l !== undefined) ? (lists as unknown[][]) : undefined;
}

/** Python's zip: tuples of the i-th items, as many as the shortest list has. */
function zipped(lists: unknown[][]): unknown[] {
  return lists.length ? lists[0]!.slice(0, Math.min(...lists.map((l) => l.length))).map((_, i) => pyTuple(lists.map((l) => l[i]))) : [];
}

/** `log(msg, info=True)` and `print()` to the render's sink (a render done ahead keeps them), `exceptions.*`. */
export function messageFunctions(options: TemplateEnvironmentOptions, run: RunRenderContext | undefined): Record<string, unknown> {
  return {
    log: (msg: unknown, ...rest: Args) => {
      const { pos, kw } = splitArgs(rest);
      if (pos[0] || kw.info) (run?.log ?? options.log)?.(String(msg));
      return '';
    },
    print: (msg: unknown) => {
      (run?.log ?? options.log)?.(String(msg));
      return '';
    },
    exceptions: {
      raise_compiler_error: (msg: unknown) => {
        throw new TemplateUserError('compiler-error', String(msg));
      },
      warn: (msg: unknown) => {
        (run?.log ?? options.log)?.(`warning: ${String(msg)}`);
        return '';
      },
    },
  };
}
