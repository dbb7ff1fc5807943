import { Command, InvalidArgumentError } from 'commander';
import { adapterCommands as registeredCommands } from '../../api/conventions.js';
import type { AdapterCommand } from '../../api/index.js';
import { commonOptions, reportDiagnostics } from '../shared-options.js';

const port = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`${name} '${v}' is not a port number (0–65535)`);
  return n;
};

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function toCommand(c: AdapterCommand): Command {
  const command = new Command(c.name).description(c.description);
  for (const o of c.options) {
    const name = o.flags.split(/[ ,]/)[0]!;
    if (o.port) command.option(o.flags, o.description, port(name), o.default as number);
    else command.option(o.flags, o.description, o.default as string | undefined);
  }
  return command.action(async (flags: Record<string, unknown>) => {
    const { reporter } = commonOptions({});
    let stopped: Promise<void> | undefined;
    process.exitCode = await c.run(flags, {
      say: (message) => reporter.emit({ type: 'info', message }),
      report: (diagnostics) => reportDiagnostics(reporter, diagnostics),
      // Signals are taken over only once the command waits for them (a server running).
      get stopped() {
        return (stopped ??= interrupted());
      },
    });
  });
}

/** The commands warehouses add (`strata bigquery-local`…), from the adapter registry. */
export function adapterCommands(): Command[] {
  return registeredCommands().map(toCommand);
}
