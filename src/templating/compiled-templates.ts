import { CompiledTemplate } from './jinja/index.js';
import { literalShape } from './literal-shapes.js';
import type { TemplateEnvironmentOptions } from './types.js';

type TemplateCodeCacheLike = NonNullable<TemplateEnvironmentOptions['codeCache']>;

/** One engine's compiled templates, by file and text, and which of them the code cache holds this command. */
export class CompiledTemplates {
  private readonly templates = new Map<string, CompiledTemplate>();
  /** Templates (file and text) the code cache holds, or was given, this command. */
  private readonly inCodeCache = new Set<string>();

  /**
   * A compiled template and the literal values its shape needs (see literal-shapes.ts). With a code cache (run
   * renders), a template compiled by an earlier command is not parsed again, and one compiled now is kept.
   */
  compile(file: string, source: string, cache?: TemplateCodeCacheLike): { template: CompiledTemplate; values?: Record<string, string> } {
    const shaped = literalShape(source);
    if (shaped) {
      let t: CompiledTemplate | undefined;
      try {
        t = this.get(file, shaped.shape, cache);
      } catch {
        // reported against the text as written, below
      }
      if (t) return { template: t, values: shaped.values };
    }
    return { template: this.get(file, source, cache) };
  }

  /** `text` compiled once per engine (and, with a code cache, once across commands). */
  get(file: string, text: string, cache?: TemplateCodeCacheLike): CompiledTemplate {
    const key = `${file}\u0000${text}`;
    let t = this.templates.get(key);
    if (!cache) {
      if (!t) this.templates.set(key, (t = new CompiledTemplate(text, file)));
      return t;
    }
    if (this.inCodeCache.has(key)) return t!;
    // The compiled store first: a store that does not compile is dropped, and then holds no code either.
    const maker = cache.maker?.(file, text);
    const code = cache.get(file, text);
    // Compiled already by this command's parse, or by none: kept for the next command either way.
    if (!t) t = code === undefined ? new CompiledTemplate(text, file) : new CompiledTemplate(text, file, { code, maker });
    if (code === undefined) cache.put(file, text, t.code(true));
    this.templates.set(key, t);
    this.inCodeCache.add(key);
    return t;
  }
}
