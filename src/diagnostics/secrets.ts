/**
 * Secret scrubbing in one place: every reporter and artifact writer passes text through a
 * scrubber holding the values of credentials and peppers known to this invocation.
 */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  /**
   * Registers a value that must never be printed. Never an empty or one-character value (masking it would
   * mangle every line), nor a URL without credentials (an endpoint the user needs to see). Values found only
   * by their key (a profile's `password:`) count from 6 characters; `explicit` ones — variables named
   * `DBT_ENV_SECRET_*`/`STRATA_ENV_SECRET_*`, `secret()` — from 2.
   */
  add(value: unknown, options: { explicit?: boolean } = {}): void {
    if (typeof value !== 'string') return;
    const v = value.trim() === value ? value : value.trim();
    if (v.length < (options.explicit ? 2 : 6)) return;
    if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v)) return;
    this.secrets.add(v);
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
export const SECRET_KEYS = /(password|passwd|secret|token|keyfile_json|private_key|pepper|access_key|credentials|api_?key)/i;

/** Environment variables whose values are secrets wherever they appear, as dbt's `DBT_ENV_SECRET_` prefix. */
export const SECRET_ENV_NAME = /^(DBT|STRATA)_ENV_SECRET_/;

/** The values of the secret environment variables (`DBT_ENV_SECRET_*`, `STRATA_ENV_SECRET_*`). */
export function secretEnvValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).filter(([k, v]) => SECRET_ENV_NAME.test(k) && typeof v === 'string').map(([, v]) => v as string);
}

/** A scrubber holding a project's profile secrets and the environment's secret variables. */
export function scrubberFor(profileSecrets: string[], env: NodeJS.ProcessEnv, into = new SecretScrubber()): SecretScrubber {
  for (const s of profileSecrets) into.add(s);
  for (const s of secretEnvValues(env)) into.add(s, { explicit: true });
  return into;
}
