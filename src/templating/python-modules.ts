/** dbt's `modules`: datetime, re, itertools and pytz, as templates reach them (`modules.re.match(…)`). */
import { datetimeModule } from './python-datetime.js';
import { reModule } from './python-re.js';
import { PyTimezone, UTC } from './python-timezone.js';
import { markPython, tuple } from './jinja/index.js';

export function pythonModules(now: () => Date): Record<string, unknown> {
  return {
    datetime: datetimeModule(now),
    re: reModule(),
    itertools: {
      chain: markPython((...lists: unknown[]) => lists.flatMap((l) => (Array.isArray(l) ? l : [...(l as Iterable<unknown>)]))),
      product: markPython((...lists: unknown[][]) => lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]).map((t) => tuple(t))),
    },
    pytz: { utc: UTC, UTC, timezone: (z: unknown) => (z instanceof PyTimezone ? z : new PyTimezone(String(z))) },
  };
}
