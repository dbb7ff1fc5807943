import { describe, it, expect } from 'vitest';
import { microbatchTimes } from './event-time-options.js';

const NOW = new Date('2024-06-01T12:00:00Z');

describe('--event-time-start / --event-time-end', () => {
  it('reads ISO dates and times as UTC instants (an offset applied), and none as the config window with the run\u2019s now', () => {
    expect(microbatchTimes({}, NOW)).toEqual({ times: { now: NOW }, diagnostics: [] });
    expect(microbatchTimes({ eventTimeStart: '2024-01-01', eventTimeEnd: '2024-01-02T06:00:00+02:00' }, NOW).times).toEqual({ now: NOW, eventTimeStart: new Date('2024-01-01T00:00:00Z'), eventTimeEnd: new Date('2024-01-02T04:00:00Z') });
  });

  it('needs both flags, as dbt\u2019s: one alone is a usage error naming the other', () => {
    expect(microbatchTimes({ eventTimeStart: '2024-05-30' }, NOW).diagnostics.map((d) => [d.code, d.message])).toEqual([['event-time-invalid', 'the flag --event-time-end is required when using --event-time-start']]);
    expect(microbatchTimes({ eventTimeEnd: '2024-05-30' }, NOW).diagnostics.map((d) => d.message)).toEqual(['the flag --event-time-start is required when using --event-time-end']);
  });

  it('refuses text that is no date, and a start not before the end, each with the flag and a fix', () => {
    const r = microbatchTimes({ eventTimeStart: 'monday', eventTimeEnd: '2024-01-01' }, NOW);
    expect(r.diagnostics.map((d) => [d.code, d.file, d.message])).toEqual([['event-time-invalid', '--event-time-start', "--event-time-start 'monday' is not an ISO date or date and time"]]);
    expect(r.diagnostics[0]!.hint).toContain('--event-time-start 2024-01-01');
    expect(microbatchTimes({ eventTimeStart: '2024-01-02', eventTimeEnd: '2024-01-02' }, NOW).diagnostics.map((d) => d.message)).toEqual(['--event-time-start (2024-01-02) must be before --event-time-end (2024-01-02)']);
  });
});
