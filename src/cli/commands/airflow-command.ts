import { Command, Option } from 'commander';
import { allConventions } from '../../api/conventions.js';
import type { AirflowInput } from '../../airflow/index.js';
import { withCommonFlags, commonOptions, reportDiagnostics, type GlobalFlags } from '../shared-options.js';

type AirflowFlags = GlobalFlags & {
  select?: string[]; exclude?: string[]; selector?: string; out?: string; dagId?: string; schedule?: string; startDate?: string; catchup?: boolean;
  retries?: string; retryDelay?: string; maxActiveRuns?: string; maxActiveTasks?: string; tags?: string[]; workerProjectDir?: string;
  workerProfilesDir?: string; groupBy?: string; testBehavior?: string; execution?: string; image?: string; namespace?: string;
  strataCommand?: string; runsDir?: string; parseTask?: boolean; parseCache?: string; pool?: string;
};

function withAirflowFlags(cmd: Command): Command {
  return withCommonFlags(cmd)
    .option('-s, --select <selector...>', 'only these nodes become tasks (dbt selector syntax)')
    .option('--exclude <selector...>', 'nodes to leave out')
    .option('--selector <name>', 'a named selector of selectors.yml')
    .option('-o, --out <file>', 'the Python file to write (default: print it)')
    .option('--dag-id <id>', 'the DAG id (default: strata_<project>)')
    .option('--schedule <schedule>', "cron ('0 3 * * *'), preset (@daily, @hourly), interval (30m, 1h, 1d) or none (default @daily)")
    .option('--start-date <date>', 'first logical date, YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC (default 2024-01-01)')
    .option('--catchup', 'run every interval since the start date')
    .option('--no-catchup', 'run only the latest interval (the default)')
    .option('--retries <n>', 'retries of a failed task (default 0)')
    .option('--retry-delay <duration>', 'wait between retries: 5m, 30s, 1h (default 5m)')
    .option('--max-active-runs <n>', 'DAG runs at once (default 1)')
    .option('--max-active-tasks <n>', `tasks of a run at once (default: Airflow's; 1 on ${allConventions().filter((c) => c.singleWriter).map((c) => c.displayName).join(', ')})`)
    .option('--tags <tag...>', 'DAG tags (default: strata)')
    .option('--worker-project-dir <dir>', 'the project folder on the Airflow worker (default: this project\'s absolute path)')
    .option('--worker-profiles-dir <dir>', 'the profiles folder on the worker (default: --profiles-dir, else the worker\'s default)')
    .addOption(new Option('--group-by <how>', 'TaskGroups by layer (custom schema, else first folder), folder or none (default layer)').choices(['layer', 'folder', 'none']))
    .addOption(new Option('--test-behavior <how>', 'after_each (default), after_all, none or build (one task)').choices(['after_each', 'after_all', 'none', 'build', 'after-each', 'after-all']))
    .addOption(new Option('--execution <how>', 'local (BashOperator, default), docker or kubernetes').choices(['local', 'docker', 'kubernetes']))
    .option('--image <image>', 'the image of docker and kubernetes tasks (Strata and the project in it)')
    .option('--namespace <ns>', 'the Kubernetes namespace of the pods')
    .option('--strata-command <cmd>', 'how the worker starts Strata (default: strata)')
    .option('--runs-dir <dir>', 'each task writes artifacts to <dir>/<dag id>/<run id>/<task id> (default: <project>/target/airflow)')
    .option('--parse-task', 'start with a strata_parse task that warms the parse cache (default with local execution)')
    .option('--no-parse-task', 'no parse task: tasks copy the cache of --parse-cache (strata parse in the image build)')
    .option('--parse-cache <dir>', 'the warm target folder tasks copy parse caches from (default: <project>/target)')
    .option('--pool <name>', 'the Airflow pool of every task');
}

/** Flags in the names of the project file's airflow: block. */
function airflowInput(f: AirflowFlags): AirflowInput {
  return {
    dag_id: f.dagId, schedule: f.schedule, start_date: f.startDate, catchup: f.catchup, retries: f.retries, retry_delay: f.retryDelay,
    max_active_runs: f.maxActiveRuns, max_active_tasks: f.maxActiveTasks, tags: f.tags, project_dir: f.workerProjectDir,
    profiles_dir: f.workerProfilesDir, group_by: f.groupBy, test_behavior: f.testBehavior, execution: f.execution, image: f.image,
    namespace: f.namespace, strata_command: f.strataCommand, runs_dir: f.runsDir, parse_task: f.parseTask, parse_cache: f.parseCache, pool: f.pool,
  };
}

/** An argument as the shell reads it back: bare when it is plain, else in single quotes. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'"'"'`)}'`;
}

function subcommand(kind: 'dag' | 'task-group', description: string): Command {
  return withAirflowFlags(new Command(kind))
    .description(description)
    .action(async (flags: AirflowFlags, command: Command) => {
      const { options, reporter, usageError } = commonOptions(flags);
      if (usageError) return command.error(usageError, { exitCode: 2 });
      const commandLine = ['strata', 'airflow', kind, ...process.argv.slice(4)].map(shellWord).join(' ');
      const result = await (await import('../../api/airflow-command.js')).airflowDag({ ...options, kind, select: flags.select, exclude: flags.exclude, selector: flags.selector, airflow: airflowInput(flags), out: flags.out, commandLine });
      reportDiagnostics(reporter, result.diagnostics);
      if (result.source !== undefined && !result.written) process.stdout.write(result.source);
      if (result.written) reporter.emit({ type: 'info', message: `Wrote ${result.written}: ${result.plan!.tasks.length} tasks` });
      process.exitCode = result.exitCode;
    });
}

export function airflowCommand(): Command {
  const root = new Command('airflow').description('generate Airflow DAGs and task groups with a task per node');
  root.addCommand(subcommand('dag', 'write a self-contained Airflow DAG file: a task per landing source, seed, snapshot and model').exitOverride());
  root.addCommand(subcommand('task-group', 'write a Python module whose strata_task_group() adds the same tasks to an existing DAG').exitOverride());
  return root;
}
