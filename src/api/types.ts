import type { Diagnostic, Reporter, SecretScrubber } from '../diagnostics/index.js';
import type { NodeRunRecord } from '../artifacts/index.js';
import type { WarnErrorOptions } from './warn-error-options.js';
import type { SeedSample } from './seed-samples.js';

/** Options every command takes (the CLI's global flags). */
export interface CommonOptions {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  /** `--vars`: YAML or JSON text, or an object. */
  vars?: string | Record<string, unknown>;
  threads?: number;
  reporter?: Reporter;
  env?: NodeJS.ProcessEnv;
  /** Filled with this project's secrets; reporters scrub through it. */
  scrubber?: SecretScrubber;
  /** Ctrl-C: cancels the running queries (their transactions roll back), schedules no more, skips on-run-end. */
  signal?: AbortSignal;
  /** `--profile`: the profile of profiles.yml to use instead of the project file's. */
  profile?: string;
  /** `--warn-error`: warnings fail the command as errors would (dbt's flag). */
  warnError?: boolean;
  /** `--warn-error-options`: the warnings that fail the command, by dbt event name or Strata code (api/warn-error-options.ts). */
  warnErrorOptions?: WarnErrorOptions;
  /** `--target-path`: where artifacts and caches go (default: the project file's target-path, `target`). */
  targetPath?: string;
  /** `--no-partial-parse`: parse every file afresh, reading and writing no parse cache. */
  noParseCache?: boolean;
}

export interface SelectionOptions {
  select?: string[];
  exclude?: string[];
  /** `--state DIR`: a folder with a saved manifest.json, for `state:` selectors and `--defer`. */
  state?: string;
  /** `--selector NAME`: a named selector of selectors.yml. */
  selector?: string;
  /** `--defer` (with `--state`): refs to unselected nodes not built in this target read the saved manifest's relations. */
  defer?: boolean;
  /** `--favor-state`: with `--defer`, read the saved relations even where this target has them. */
  favorState?: boolean;
  /** `--indirect-selection`: which tests join their selected parents (default eager, as dbt). */
  indirectSelection?: 'eager' | 'cautious' | 'buildable' | 'empty';
}

export interface RunOptions extends CommonOptions, SelectionOptions {
  fullRefresh?: boolean;
  failFast?: boolean;
  /** `--empty` (dbt 1.8): models' refs and sources read no rows; every model is built, empty. */
  empty?: boolean;
  /** `--event-time-start` / `--event-time-end` (dbt 1.9): the window microbatch models build (ISO dates or times, UTC unless offset). */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  /**
   * `--sample` (dbt 1.10): models and snapshots read their refs and sources with an event_time in this window
   * only: `"3 days"` (hours, days, months, years back from now) or `"{'start': '2024-07-01', 'end': '2024-07-08'}"`.
   * A selection with a snapshot that tracks hard deletes over a sampled input is refused (sample-hard-deletes.ts).
   */
  sample?: string;
}

/** 0 success, 1 a node failed, 2 bad project or usage. */
export type ExitCode = 0 | 1 | 2;

export interface CommandResult {
  exitCode: ExitCode;
  diagnostics: Diagnostic[];
  invocationId: string;
  /** Node outcomes, in completion order. */
  results: NodeRunRecord[];
  /** `seed --show`: each loaded seed's sample rows, as dbt prints them (api/seed-samples.ts). */
  seedSamples?: SeedSample[];
}
