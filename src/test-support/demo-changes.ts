/**
 * Status changes the demo's generator does not make, written into the call logs of a generated four-day landing
 * folder (`--days 4 --start 2026-02-02`), for the tests that build the demo day by day and compare it with one
 * build over all the files. The last day's log gets: a clean complaint of the first day handed to an agent
 * missing from the lookup sheet (its newest state is quarantined: it must leave the gold tables), a
 * quarantined one of the second day handed to a known agent (it leaves the quarantine for the gold tables), a
 * change of another first-day complaint delivered late (timed on the second day, older than changes the third
 * day's run already took to gold), and the complaint opened alone on 2026-01-20 (written into the first day's
 * log) handed to an unknown agent: no mart may keep that day. It also gets a third-day complaint's newest
 * change sent again, at the same time but with another status (a correction): the later load wins.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoChanges {
  /** The complaint that leaves gold for the quarantine. */
  leaving: string;
  /** The complaint that leaves the quarantine for gold. */
  returning: string;
  /** The complaint with a change delivered late. */
  late: string;
  /** The day whose only complaint leaves gold. */
  emptiedDay: string;
  /** The complaint whose newest change is sent again with another status, and that status as silver has it. */
  resent: { id: string; status: string };
}

export function addDemoChanges(landing: string): DemoChanges {
  const log = (day: string): string => join(landing, 'call_logs', `call_logs_day_${day}.csv`);
  const rows = (day: string): string[][] => readFileSync(log(day), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const clean = rows('2026-02-02').filter((r) => r[5] !== 'A99' && /^\d{1,3}$/.test(r[1]!));
  const [leaving, late] = [clean[0]!, clean.find((r) => r[0] !== clean[0]![0])!];
  const returning = rows('2026-02-03').find((r) => r[5] === 'A99')!;
  const alone = ['CCZ0000001', '7', '2026-01-20 10:00:00', 'bill', 'backlog', 'A01', '2026-02-02 05:00:00'];
  // call_ref, cust_no, call_start, reason_code, outcome, handled_by, logged_at
  const event = (r: string[], customer: string, status: string, agent: string, at: string): string => [r[0], customer, r[2], r[3], status, agent, at].join(',');
  // The newest change of a clean third-day complaint that no later day changes, sent again on the last day.
  const lastDay = new Set(rows('2026-02-05').map((r) => r[0]));
  const known = /^(backlog|new|open|in[ _-]?progress|pending|resolved|closed)$/i;
  const thirdDay = rows('2026-02-04');
  // Its only change that day, so its newest (times come in two formats; the generator delivers no change late).
  const newest = thirdDay.find((r) => r[5] !== 'A99' && /^\d{1,3}$/.test(r[1]!) && known.test(r[4]!.trim()) && !lastDay.has(r[0]) && thirdDay.filter((x) => x[0] === r[0]).length === 1 && ![leaving[0], late[0], returning[0]].includes(r[0]))!;
  const resentId = newest[0]!;
  const resolved = /^(resolved|closed)$/i.test(newest[4]!.trim());
  appendFileSync(log('2026-02-02'), `${alone.join(',')}\n`);
  appendFileSync(log('2026-02-05'), [
    event(leaving, leaving[1]!, 'in progress', 'A99', '2026-02-05 23:59:59'),
    event(returning, '7', 'resolved', 'A01', '2026-02-05 23:59:59'),
    event(late, late[1]!, 'pending', late[5]!, '2026-02-03 00:00:01'),
    event(alone, '7', 'in progress', 'A99', '2026-02-05 23:59:58'),
    event(newest, newest[1]!, resolved ? 'pending' : 'closed', newest[5]!, newest[6]!),
  ].map((l) => `${l}\n`).join(''));
  return { leaving: leaving[0]!, returning: returning[0]!, late: late[0]!, emptiedDay: '2026-01-20', resent: { id: resentId, status: resolved ? 'in_progress' : 'resolved' } };
}
