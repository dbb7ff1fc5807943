/** Keyword arguments travel to a JS function as one trailing object marked `__keywords` (nunjucks' convention). */
export type Kw = Record<string, unknown> & { __keywords?: boolean };

export const isKw = (v: unknown): v is Kw => !!v && typeof v === 'object' && (v as Kw).__keywords === true;

export function splitKw(args: unknown[]): { pos: unknown[]; kw: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (isKw(last)) {
    const { __keywords: _k, ...kw } = last;
    void _k;
    return { pos: args.slice(0, -1), kw };
  }
  return { pos: args, kw: {} };
}

export function withKw(args: unknown[], kw: Record<string, unknown> | undefined): unknown[] {
  if (!kw || Object.keys(kw).length === 0) return args;
  return [...args, { ...kw, __keywords: true }];
}
