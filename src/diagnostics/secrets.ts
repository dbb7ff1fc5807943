/**
 * Secret scrubbing in one place: every reporter and artifact writer passes text through a
 * scrubber holding the values of credentials and peppers known to this invocation.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  /** Registers a value that must never be printed (ignores short values to avoid mangling output). */
  add(value: unknown): void {
    if (typeof value === 'string' && value.length >= 6) this.secrets.add(value);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('****');
    return out;
  }

  /** Whether any secret occurs in these bytes (UTF-8), from `start` on. */
  occursIn(data: Buffer, start = 0): boolean {
    for (const s of this.secrets) if (data.indexOf(s, start, 'utf8') !== -1) return true;
    return false;
  }

  get size(): number {
    return this.secrets.size;
  }
}

/** Profile keys whose values are secrets. */
export const SECRET_KEYS = /(password|passwd|secret|token|keyfile_json|private_key|pepper|access_key|credentials)/i;
