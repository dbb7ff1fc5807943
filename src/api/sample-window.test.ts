/** `--sample`'s spec (dbt 1.10): relative windows back from now, the dict form, and the mistakes a user makes. */
import { describe, it, expect } from 'vitest';
import { sampleWindow } from './sample-window.js';

const NOW = new Date('2024-03-31T16:06:07.250Z');
const iso = (spec: string, now = NOW): [string, string] => {
  const { window, diagnostics } = sampleWindow(spec, now);
  expect(diagnostics).toEqual([]);
  return [window!.start.toISOString(), window!.end.toISOString()];
};

describe('sampleWindow', () => {
  it('no spec: no window', () => {
    expect(sampleWindow(undefined, NOW)).toEqual({ diagnostics: [] });
  });

  it('a relative spec ends now, untruncated, and starts that many hours or days before', () => {
    expect(iso('6 hours')).toEqual(['2024-03-31T10:06:07.250Z', '2024-03-31T16:06:07.250Z']);
    expect(iso('1 hour')).toEqual(['2024-03-31T15:06:07.250Z', '2024-03-31T16:06:07.250Z']);
    expect(iso('3 days')).toEqual(['2024-03-28T16:06:07.250Z', '2024-03-31T16:06:07.250Z']);
    // Grains are read as dbt reads them: any case, singular or plural.
    expect(iso('3 DAY')).toEqual(iso('3 days'));
    expect(iso('  2   Days ')).toEqual(['2024-03-29T16:06:07.250Z', '2024-03-31T16:06:07.250Z']);
  });

  it('months and years are calendar steps, clamped to the end of a shorter month (dbt relativedelta)', () => {
    expect(iso('1 month')[0]).toBe('2024-02-29T16:06:07.250Z');
    expect(iso('13 months')[0]).toBe('2023-02-28T16:06:07.250Z');
    expect(iso('2 months', new Date('2024-01-15T00:00:00Z'))[0]).toBe('2023-11-15T00:00:00.000Z');
    expect(iso('1 year', new Date('2024-02-29T12:00:00Z'))[0]).toBe('2023-02-28T12:00:00.000Z');
    expect(iso('4 years', new Date('2024-02-29T12:00:00Z'))[0]).toBe('2020-02-29T12:00:00.000Z');
  });

  it('the dict form: dates or times read as UTC, an offset ignored (dbt replaces the zone with UTC)', () => {
    expect(iso("{'start': '2024-07-01', 'end': '2024-07-08 18:00:00'}")).toEqual(['2024-07-01T00:00:00.000Z', '2024-07-08T18:00:00.000Z']);
    expect(iso('{"start": "2024-07-01T02:00:00+02:00", "end": "2024-07-02"}')).toEqual(['2024-07-01T02:00:00.000Z', '2024-07-02T00:00:00.000Z']);
    expect(iso("{'start': '2024-07-01 02:30:00.5-0530', 'end': '2024-07-02T00:00:00Z'}")).toEqual(['2024-07-01T02:30:00.500Z', '2024-07-02T00:00:00.000Z']);
    expect(iso("{'start': '2024-07-01T23:00:00-01', 'end': '2024-07-02 00:00+01:00'}")).toEqual(['2024-07-01T23:00:00.000Z', '2024-07-02T00:00:00.000Z']);
    expect(iso('{start: 2024-07-01, end: 2024-07-02}')).toEqual(['2024-07-01T00:00:00.000Z', '2024-07-02T00:00:00.000Z']);
  });

  it('0 of a grain is an empty window ending now, as dbt reads it (every sampled input then reads no rows)', () => {
    expect(iso('0 days')).toEqual(['2024-03-31T16:06:07.250Z', '2024-03-31T16:06:07.250Z']);
    expect(iso('0 months')).toEqual(iso('0 hours'));
  });

  it.each([
    ['3', 'a relative sample is a whole number and a grain'],
    ['days', 'a relative sample is a whole number and a grain'],
    ['three days', "'three' is not a whole number"],
    ['-2 days', "'-2' is not a whole number"],
    ['1.5 days', "'1.5' is not a whole number"],
    ['2 weeks', "'weeks' is not a grain: use hours, days, months, years (or hour, day, month, year); for weeks, 7 days"],
    ['2 minutes', "'minutes' is not a grain"],
    ["{'start': '2024-07-01'}", "'end' is missing"],
    ["{'begin': '2024-07-01', 'end': '2024-07-02'}", "unknown key 'begin'"],
    ["{'start': '2024-07-08', 'end': '2024-07-01'}", "'start' must be before 'end'"],
    ["{'start': '2024-02-30', 'end': '2024-03-01'}", `'start' "2024-02-30" is not an ISO date`],
    ["{'start': '2024-07-01', 'end': }", ''],
    ['{[1, 2]', 'not a mapping'],
  ])('%s is refused, with the fix', (spec, message) => {
    const { window, diagnostics } = sampleWindow(spec, NOW);
    expect(window).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'sample-invalid', severity: 'error', file: '--sample', hint: expect.stringContaining('--sample="3 days"') });
    expect(diagnostics[0]!.message).toContain(`--sample '${spec}': ${message}`);
  });
});
