/**
 * The JavaScript that run renders compiled their templates to, kept from one command to the next in
 * `target/template_code.strata.json`: a template whose text is unchanged is not lexed, parsed and generated
 * again (about 0.1 ms of each model's render, the larger part of it). The code depends only on the template's
 * text, its file name and the engine, so an entry is found by file and text, and the whole file is dropped when
 * Strata is rebuilt (`build`). It holds what the project's files hold, compiled: never a rendered value, and no
 * template whose text holds a secret's value (`secret()`, a secret env var), as compiled SQL would not.
 * The macro files' code has a store of its own, `macro_code.strata.json` (macro-registry.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { replaceFile } from '../project/replace-file.js';

/** The models' store; `macro_code` is the macro files' (macro-registry.ts), read by every full parse, kept small. */
const NAME = 'template_code';
/*
 * Beside `<name>.strata.json`, `<name>.strata.v8`: V8's code cache of the stored templates compiled as one script
 * (their bytecode), after the sha1 of that script's text: V8 checks only a script's length, so the digest is what
 * ties the two.
 */
const DIGEST_BYTES = 40;
/** Kept beyond those this command used, so a `--select` does not empty the cache: up to this many, oldest first out. */
const SPARE = 2000;

interface Stored {
  build: string;
  /** [file, template text, generated code], most recently used last. */
  entries: [string, string, string][];
}

/** A render function's maker: the generated code's body, compiled. */
export type RenderMaker = () => unknown;

export class TemplateCodeCache {
  private loaded?: Map<string, [string, string, string]>;
  private readonly used = new Map<string, [string, string, string]>();
  private changed = false;
  /** The stored templates as one compiled script: its makers by key, and whether V8's cache of it should be (re)written. */
  private script?: { makers: Map<string, RenderMaker>; compiled?: Script; digest: string; writeCache: boolean };

  private constructor(
    private readonly path: string,
    private readonly build: string,
    private readonly clean: (text: string) => boolean,
  ) {}

  /**
   * The cache of a target folder, for this build of Strata; read on first use. `clean` tells a text that
   * holds no secret (checked when saving, once every secret of the command is known).
   */
  static open(dir: string, build: string, clean: (text: string) => boolean, name: 'template_code' | 'macro_code' = NAME): TemplateCodeCache {
    return new TemplateCodeCache(join(dir, `${name}.strata.json`), build, clean);
  }

  /** The generated code of this file's template text, if a command compiled it before. */
  get(file: string, text: string): string | undefined {
    const key = `${file}\u0000${text}`;
    const found = this.used.get(key) ?? this.stored().get(key);
    if (found) this.used.set(key, found);
    return found?.[2];
  }

  /**
   * The render function's maker of a stored template, compiled with every stored template as one script (with
   * V8's cached bytecode of it when a command left one): none of them is parsed by V8 again.
   */
  maker(file: string, text: string): RenderMaker | undefined {
    return (this.script ??= this.compileStored()).makers.get(`${file}\u0000${text}`);
  }

  put(file: string, text: string, code: string): void {
    this.used.set(`${file}\u0000${text}`, [file, text, code]);
    this.changed = true;
  }

  /**
   * Writes the cache when this command compiled a template it lacked (whole, or not at all), and V8's cache of
   * the stored templates' script once a command ran them without one (its bytecode is made as they run).
   */
  save(): void {
    if (!this.changed) return this.saveV8();
    const spare = [...this.stored()].filter(([k]) => !this.used.has(k)).slice(-SPARE);
    const entries = [...spare.map(([, e]) => e), ...this.used.values()].filter((e) => this.clean(e[1]) && this.clean(e[2]));
    const stored: Stored = { build: this.build, entries };
    try {
      rmSync(this.v8Path, { force: true });
      replaceFile(this.path, JSON.stringify(stored));
      this.changed = false;
    } catch {
      // A cache that cannot be written costs the next command time, nothing else.
    }
  }

  private get v8Path(): string {
    return this.path.replace(/\.json$/, '.v8');
  }

  private saveV8(): void {
    const s = this.script;
    if (!s?.compiled || !s.writeCache || !this.used.size) return;
    try {
      replaceFile(this.v8Path, Buffer.concat([Buffer.from(s.digest, 'latin1'), s.compiled.createCachedData()]));
    } catch {
      // As above: only time is lost.
    }
  }

  /** Every stored template's generated code as one script, compiled with V8's cache of it if that matches. */
  private compileStored(): NonNullable<TemplateCodeCache['script']> {
    const entries = [...this.stored()];
    const source = `[${entries.map(([, e]) => `(function () {\n${e[2]}\n})`).join(',\n')}]`;
    const digest = createHash('sha1').update(source).digest('hex');
    let cachedData: Buffer | undefined;
    try {
      const blob = readFileSync(this.v8Path);
      if (blob.subarray(0, DIGEST_BYTES).toString('latin1') === digest) cachedData = blob.subarray(DIGEST_BYTES);
    } catch {
      // none yet
    }
    const makers = new Map<string, RenderMaker>();
    if (!entries.length) return { makers, digest, writeCache: false };
    try {
      const compiled = new Script(source, { filename: 'strata-templates.js', cachedData });
      const fns = compiled.runInThisContext() as RenderMaker[];
      entries.forEach(([key], i) => makers.set(key, fns[i]!));
      return { makers, compiled, digest, writeCache: cachedData === undefined || compiled.cachedDataRejected === true };
    } catch {
      // Code that is not JavaScript (a damaged file): nothing of it is used, templates compile from their text.
      this.loaded = new Map();
      this.changed = true;
      return { makers, digest, writeCache: false };
    }
  }

  private stored(): Map<string, [string, string, string]> {
    if (this.loaded) return this.loaded;
    this.loaded = new Map();
    try {
      const stored = JSON.parse(readFileSync(this.path, 'utf8')) as Stored;
      if (stored.build === this.build && Array.isArray(stored.entries)) {
        for (const e of stored.entries) if (Array.isArray(e) && e.length === 3 && e.every((x) => typeof x === 'string')) this.loaded.set(`${e[0]}\u0000${e[1]}`, e);
      }
    } catch {
      // No cache yet, or an unreadable one: templates are compiled from their text.
    }
    return this.loaded;
  }
}
