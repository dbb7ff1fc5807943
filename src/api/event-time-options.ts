import type { Diagnostic } from '../diagnostics/index.js';
import type { MicrobatchTimes } from '../execute/microbatch-runner.js';
import { parseInstant } from '../project/index.js';

/**
 * dbt's `--event-time-start` / `--event-time-end`: the window microbatch models build, instead of the one
 * their config gives. Each an ISO date or date and time (UTC unless it has an offset), start before end;
 * as dbt's, one needs the other. `now`: the run's one current time (every microbatch model uses it).
 */
export function microbatchTimes(options: { eventTimeStart?: string; eventTimeEnd?: string }, now: Date): { times: MicrobatchTimes; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const read = (flag: string, value: string | undefined): Date | undefined => {
    if (value === undefined) return undefined;
    const at = parseInstant(value);
    if (!at) diagnostics.push({ code: 'event-time-invalid', severity: 'error', message: `${flag} '${value}' is not an ISO date or date and time`, file: flag, hint: `write ${flag} 2024-01-01 or ${flag} 2024-01-01T06:00:00 (UTC unless it has an offset)` });
    return at;
  };
  const start = read('--event-time-start', options.eventTimeStart);
  const end = read('--event-time-end', options.eventTimeEnd);
  if (start && end && start >= end) diagnostics.push({ code: 'event-time-invalid', severity: 'error', message: `--event-time-start (${options.eventTimeStart}) must be before --event-time-end (${options.eventTimeEnd})`, file: '--event-time-start', hint: 'swap them, or widen the window' });
  for (const [given, missing] of [['--event-time-start', '--event-time-end'], ['--event-time-end', '--event-time-start']] as const) {
    const has = (flag: string): boolean => (flag === '--event-time-start' ? options.eventTimeStart : options.eventTimeEnd) !== undefined;
    if (has(given) && !has(missing)) diagnostics.push({ code: 'event-time-invalid', severity: 'error', message: `the flag ${missing} is required when using ${given}`, file: given, hint: `give both, e.g. --event-time-start 2024-01-01 --event-time-end 2024-01-02` });
  }
  return { times: { now, ...(start ? { eventTimeStart: start } : {}), ...(end ? { eventTimeEnd: end } : {}) }, diagnostics };
}
