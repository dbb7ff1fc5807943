import { lineageCommand } from './commands/lineage-command.js';
import { Command, CommanderError } from 'commander';
import { UserError, formatDiagnostic, type Diagnostic } from '../diagnostics/index.js';
import { STRATA_VERSION } from '../api/version.js';
import { retryCommand, runCommands } from './commands/run-commands.js';
import { showCommand } from './commands/show-command.js';
import { cloneCommand } from './commands/clone-command.js';
import { docsCommand } from './commands/docs-command.js';
import { compileCommand } from './commands/compile-command.js';
import { lsCommand } from './commands/ls-command.js';
import { parseCommand } from './commands/parse-command.js';
import { cleanCommand, debugCommand, depsCommand, initCommand, runOperationCommand } from './commands/misc-commands.js';
import { sourceCommand } from './commands/source-command.js';
import { planCommand } from './commands/plan-command.js';
import { airflowCommand } from './commands/airflow-command.js';
import { adapterCommands } from './commands/adapter-commands.js';
import { allConventions, applyWarehouseProcessEnvironment } from '../api/conventions.js';
import { SHORT_USAGE, hoistGlobalFlags } from './global-flags.js';
import { currentLog } from './shared-options.js';

export function program(): Command {
  const root = new Command('strata')
    .description(`Strata: dbt-compatible SQL models on ${allConventions().map((c) => c.displayName).join(' and ')}`)
    .version(STRATA_VERSION)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const c of [...runCommands(), compileCommand(), parseCommand(), lsCommand(), cleanCommand(), debugCommand(), initCommand(), sourceCommand(), planCommand(), runOperationCommand(), retryCommand(), cloneCommand(), showCommand(), docsCommand(), depsCommand(), airflowCommand(), lineageCommand(), ...adapterCommands()]) {
    root.addCommand(c.exitOverride());
  }
  return root;
}

const FILE_SYSTEM_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EMFILE: 'too many open files',
  EEXIST: 'a file of that name is in the way',
};

const VERBS: Record<string, string> = { open: 'open', read: 'read', write: 'write', rename: 'replace', mkdir: 'create', scandir: 'list', unlink: 'remove', copyfile: 'copy to' };

/**
 * A file Strata could not read or write (a read-only or full target folder, say): the environment's problem,
 * told as a diagnostic naming the file, not as a bug with a stack trace.
 */
function fileSystemProblem(e: unknown): Diagnostic | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof err.code !== 'string' || !err.syscall || !(err.code in FILE_SYSTEM_REASONS)) return undefined;
  // Artifacts are written to a temp file first: name the file the user knows.
  const file = err.path?.replace(/\.\d+\.tmp$/, '');
  return {
    code: 'file-system-error',
    severity: 'error',
    message: `could not ${VERBS[err.syscall] ?? err.syscall} ${file ?? 'a file'}: ${FILE_SYSTEM_REASONS[err.code]} (${err.code})`,
    file,
    hint: 'check the folder exists, is writable and has free space; target-path in project.yml moves what Strata writes',
  };
}

let pipeWatched = false;

/**
 * `strata ls | head`: the reader may leave before the output ends. Output written after that is dropped
 * (the command still finishes, and a build still records its results) instead of crashing on EPIPE.
 */
function dropOutputToClosedPipe(): void {
  if (pipeWatched) return;
  pipeWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}

/** Warnings libraries print about themselves (the AWS SDK on an older Node, gcp-metadata's lookup). */
function isThirdPartyWarning(w: Error): boolean {
  return w.name === 'MetadataLookupWarning' || w.name === 'NodeDeprecationWarning' || /AWS SDK|aws-sdk|gcp-metadata/i.test(w.message);
}

let warningsRouted = false;

/** Third-party runtime warnings go to the log file, not the user's output; Node's own still print. */
function routeWarnings(): void {
  if (warningsRouted) return;
  warningsRouted = true;
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (isThirdPartyWarning(w)) currentLog?.note('warn', `${w.name}: ${w.message}`);
    else process.stderr.write(`(node) ${w.name}: ${w.message}\n`);
  });
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 a node failed, 2 bad project or usage). */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  // Before any warehouse's library loads (each is loaded on first use): the options it reads then.
  applyWarehouseProcessEnvironment();
  dropOutputToClosedPipe();
  routeWarnings();
  try {
    if (argv.length <= 2) {
      process.stdout.write(SHORT_USAGE);
      return 0;
    }
    await program().parseAsync(hoistGlobalFlags(argv));
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(e.diagnostics.map(formatDiagnostic).join('\n') + '\n');
      return 2;
    }
    const io = fileSystemProblem(e);
    if (io) {
      process.stderr.write(formatDiagnostic(io) + '\n');
      return 2;
    }
    process.stderr.write(`Strata hit an internal error (a bug; please report it):\n${e instanceof Error ? e.stack : String(e)}\n`);
    return 2;
  }
}
