/** How nunjucks passes a call's arguments: positional values, then keyword arguments as one marked object. */
export type Kw = Record<string, unknown> & { __keywords?: boolean };

export const isKw = (v: unknown): v is Kw => !!v && typeof v === 'object' && (v as Kw).__keywords === true;

/** Splits nunjucks call arguments into positional values and keyword arguments. */
export function splitArgs(args: unknown[]): { pos: unknown[]; kw: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (isKw(last)) {
    const { __keywords: _k, ...kw } = last;
    void _k;
    return { pos: args.slice(0, -1), kw };
  }
  return { pos: args, kw: {} };
}
