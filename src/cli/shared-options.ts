import { Command, Option } from 'commander';
import { SecretScrubber, formatDiagnostic, wasReported, type Diagnostic, type Reporter } from '../diagnostics/index.js';
import { TerminalReporter, JsonReporter } from './terminal-reporter.js';
import { LogFileReporter, TeeReporter, logDirOf } from './log-file.js';
import { applyGlobalConfigs } from './global-configs.js';
import { readWarnErrorOptions, warningSilenced } from '../api/warn-error-options.js';
import { SilencingReporter } from './silencing-reporter.js';

/** The log file of this invocation, once a command has made one (for notes such as third-party warnings). */
export let currentLog: LogFileReporter | undefined;
import type { CommonOptions } from '../api/index.js';

export interface GlobalFlags {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  vars?: string;
  threads?: string;
  logFormat?: 'text' | 'json';
  quiet?: boolean;
  /** false with `--no-partial-parse`. */
  partialParse?: boolean;
  targetPath?: string;
  profile?: string;
  warnError?: boolean;
  /** Where warnError came from when not the command line (for the usage error of both being given). */
  warnErrorFrom?: string;
  /** `--warn-error-options` as given (YAML/JSON text), or the project file's `flags: {warn_error_options: …}` mapping. */
  warnErrorOptions?: string | Record<string, unknown>;
  /** Where warnErrorOptions came from when not the command line (for its usage error). */
  warnErrorOptionsFrom?: string;
  logLevel?: string;
  useColors?: boolean;
  versionCheck?: boolean;
  debug?: boolean;
  logPath?: string;
  logLevelFile?: string;
}

/** Flags every command accepts. */
export function withCommonFlags(cmd: Command): Command {
  return cmd
    .option('--project-dir <dir>', 'folder holding project.yml or dbt_project.yml (default: current folder)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml (default: $STRATA_PROFILES_DIR, the project, ~/.strata)')
    .option('-t, --target <name>', 'output of the profile to use (default: $DBT_TARGET, the profile\'s target:)')
    .option('--vars <yaml>', "variables as YAML or JSON, e.g. '{start_date: 2024-01-01}'")
    .option('--threads <n>', 'nodes to run at once (default: the profile)')
    .option('--target-path <dir>', 'where artifacts and parse caches go (default: $STRATA_TARGET_PATH, $DBT_TARGET_PATH, target-path in the project file, target/)')
    .addOption(new Option('--log-format <format>', 'text (default) or json (one event per line)').choices(['text', 'json']))
    .option('-q, --quiet', 'print only errors and the summary')
    .option('--no-partial-parse', 'parse every file afresh; ignore and do not write the parse caches in target/')
    .option('--profile <name>', "the profile of profiles.yml to use instead of the project file's profile: (or $DBT_PROFILE)")
    .option('--warn-error', 'treat warnings as errors: a warning in the project stops the command (exit 2), a warning test fails it (exit 1)')
    .option('--warn-error-options <yaml>', 'only these warnings fail, as --warn-error: \'{"error": [NoNodesForSelectionCriteria, LogTestResult]}\' or \'{"error": all, "warn": [...]}\' (dbt event names or Strata codes; or $DBT_WARN_ERROR_OPTIONS)')
    .addOption(new Option('--log-level <level>', 'debug, info (default), warn or error: warn and error print only problems and the summary, like --quiet').choices(['debug', 'info', 'warn', 'error', 'none']))
    // Accepted so that commands written for dbt run unchanged: Strata has no version check, and colours follow the terminal.
    .option('-d, --debug', 'print each SQL statement Strata runs, with its timing (as --log-level debug)')
    .option('--log-path <dir>', 'folder of the log file strata.log (default: logs/ in the project, or $STRATA_LOG_PATH / $DBT_LOG_PATH)')
    .addOption(new Option('--log-level-file <level>', 'what the log file records: debug (default), info, warn, error or none').choices(['debug', 'info', 'warn', 'error', 'none']))
    .addOption(new Option('--no-version-check').hideHelp())
    .addOption(new Option('--use-colors').hideHelp())
    .addOption(new Option('--no-use-colors').hideHelp())
    // dbt's: Strata's relation cache always reads only the schemas the run builds into.
    .addOption(new Option('--cache-selected-only').hideHelp())
    .addOption(new Option('--no-cache-selected-only').hideHelp());
}

export function withSelectionFlags(cmd: Command): Command {
  return cmd
    .option('-s, --select <selector...>', 'nodes to include (dbt selector syntax)')
    .option('-m, --models <selector...>', 'the same as --select (dbt\'s older name)')
    // -m/--models adds to --select, as in dbt, where they are one flag.
    .hook('preAction', (command) => {
      const { models, select } = command.opts() as { models?: string[]; select?: string[] };
      if (models?.length) command.setOptionValue('select', [...(select ?? []), ...models]);
    })
    .option('--exclude <selector...>', 'nodes to leave out')
    .option('--selector <name>', 'a named selector of selectors.yml')
    .addOption(new Option('--indirect-selection <mode>', 'which tests join their selected parents (default: eager, or $DBT_INDIRECT_SELECTION)').choices(['eager', 'cautious', 'buildable', 'empty']))
    .option('--state <dir>', 'folder of a saved manifest.json (e.g. the production run\'s target/) for state:modified, state:new and --defer');
}

/** `--defer` and `--favor-state`, for the commands that read the selection's parents (build, run, compile, show, …). */
export function withDeferFlags(cmd: Command): Command {
  return cmd
    .option('--defer', "with --state: read unselected parents that this target has not built from the saved manifest's relations (dbt's slim CI)")
    .option('--favor-state', 'with --defer: read the saved relations even where this target has them');
}

/** `--quiet`, or a `--log-level` that prints only problems: the terminal shows errors and the summary. */
export const quietFlags = (flags: GlobalFlags): boolean => flags.quiet === true || flags.logLevel === 'warn' || flags.logLevel === 'error' || flags.logLevel === 'none';

/** Turns flags into api options plus a reporter; a bad `--threads` is a usage error. */
export function commonOptions(flags: GlobalFlags): { options: CommonOptions; reporter: Reporter; scrubber: SecretScrubber; usageError?: string } {
  applyGlobalConfigs(flags);
  const scrubber = new SecretScrubber();
  const quiet = quietFlags(flags);
  const debug = flags.debug === true || flags.logLevel === 'debug';
  const env = process.env;
  const tty = process.stdout.isTTY === true;
  const colors = flags.useColors ?? (tty && !env.NO_COLOR);
  const screen = flags.logFormat === 'json' ? new JsonReporter(process.stdout, scrubber, debug) : new TerminalReporter(process.stdout, scrubber, quiet, { colors, debug, live: tty && !env.CI && !quiet });
  const logDir = flags.logLevelFile === 'none' ? undefined : logDirOf(flags, env);
  const output = logDir ? new TeeReporter([screen, currentLog = new LogFileReporter(logDir, scrubber, flags.logLevelFile)]) : screen;
  let threads: number | undefined;
  let usageError: string | undefined;
  if (flags.threads !== undefined) {
    threads = Number(flags.threads);
    if (!Number.isInteger(threads) || threads < 1) usageError = `--threads must be a whole number ≥ 1, not '${flags.threads}'`;
  }
  const warnErrorOptions = readWarnErrorOptions(flags.warnErrorOptions);
  if (warnErrorOptions.problem) usageError ??= `${flags.warnErrorOptionsFrom ?? '--warn-error-options'} ${warnErrorOptions.problem}`;
  // dbt refuses the pair wherever each was set (command line, environment, project flags): "warn_error_options: not allowed with argument warn_error".
  if (flags.warnError !== undefined && flags.warnErrorOptions !== undefined) {
    usageError ??= `warn_error_options: not allowed with argument warn_error (${flags.warnErrorFrom ?? '--warn-error'} and ${flags.warnErrorOptionsFrom ?? '--warn-error-options'} are both set, which dbt refuses): keep one; --warn-error-options '{"error": "all"}' is --warn-error`;
  }
  const silence = warnErrorOptions.options?.silence.length ? warnErrorOptions.options : undefined;
  const reporter = silence ? new SilencingReporter(output, (code) => warningSilenced(code, silence)) : output;
  return {
    options: { projectDir: flags.projectDir, profilesDir: flags.profilesDir, target: flags.target, vars: flags.vars, threads, reporter, scrubber, noParseCache: flags.partialParse === false, targetPath: flags.targetPath, profile: flags.profile, warnError: flags.warnError, ...(warnErrorOptions.options ? { warnErrorOptions: warnErrorOptions.options } : {}) },
    reporter,
    scrubber,
    usageError,
  };
}

/** Prints diagnostics (each once) through the reporter, except those the command showed while it ran. */
export function reportDiagnostics(reporter: Reporter, diagnostics: Diagnostic[]): void {
  const seen = new Set<string>(diagnostics.filter(wasReported).map(formatDiagnostic));
  for (const d of diagnostics) {
    const key = formatDiagnostic(d);
    if (seen.has(key)) continue;
    seen.add(key);
    reporter.emit({ type: 'diagnostic', diagnostic: d });
  }
}
