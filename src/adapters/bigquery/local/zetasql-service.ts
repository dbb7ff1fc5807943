/**
 * BigQuery's analyzer, ZetaSQL, as a supervised child process: the `remote_server` executable shipped in
 * the optional package `@fivetrandevelopers/zetasql`, spoken to over gRPC on loopback. One process per
 * Node process, started on first use and killed when the last user releases it (or the process exits);
 * a server that died (its evaluator can crash) is restarted on the next call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import net from 'node:net';

export const ZETASQL_PACKAGE = '@fivetrandevelopers/zetasql';
const SETPRIV = '/usr/bin/setpriv';

/** Why the analyzer cannot run here (package missing, platform without a binary): a message for the user. */
export class AnalyzerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalyzerUnavailable';
  }
}

/** A gRPC failure answered by the analyzer: `details` is ZetaSQL's message (`… [at 1:8]`). */
export interface AnalyzerCallError {
  code: number;
  details: string;
}

export interface ZetaSql {
  call<T = any>(method: string, request: unknown): Promise<T>;
  /** The proto package definition (enum value names for language features and statement kinds). */
  enumValues(name: string): string[];
  release(): Promise<void>;
}

interface Loaded {
  protosDir: string;
  binary: string;
  grpc: typeof import('@grpc/grpc-js');
  definition: import('@grpc/proto-loader').PackageDefinition;
}

/** The executable for this platform inside the package (the same choice the package's own runServer makes). */
function binaryName(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return undefined;
  if (process.arch !== 'x64' && process.arch !== 'arm64') return undefined;
  return `remote_server${process.arch === 'arm64' ? '_arm' : ''}${process.platform === 'linux' ? '.so' : ''}`;
}

/** Whether the analyzer can run on this machine, without starting it: undefined, or the reason it cannot. */
export function analyzerUnavailableReason(): string | undefined {
  const name = binaryName();
  if (!name) return `ZetaSQL ships no analyzer executable for ${process.platform}/${process.arch} (Linux and macOS on x64 or arm64 only)`;
  try {
    const pkg = createRequire(import.meta.url).resolve(`${ZETASQL_PACKAGE}/package.json`);
    if (!existsSync(join(dirname(pkg), 'lib', 'zetasql', name))) return `${ZETASQL_PACKAGE} is installed without its ${name} executable`;
  } catch {
    return `the optional package ${ZETASQL_PACKAGE} is not installed (npm install ${ZETASQL_PACKAGE}); it holds BigQuery's analyzer`;
  }
  return undefined;
}

let loading: Promise<Loaded> | undefined;

async function load(): Promise<Loaded> {
  const reason = analyzerUnavailableReason();
  if (reason) throw new AnalyzerUnavailable(reason);
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve(`${ZETASQL_PACKAGE}/package.json`)), 'lib');
  const protosDir = join(lib, 'zetasql', 'protos');
  const grpc = await import('@grpc/grpc-js');
  const loader = await import('@grpc/proto-loader');
  const definition = await loader.load('local_service.proto', { keepCase: true, defaults: false, oneofs: true, enums: String, longs: String, includeDirs: [protosDir] });
  return { protosDir, binary: join(lib, 'zetasql', binaryName()!), grpc, definition };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  client: any;
  exited: boolean;
}

let running: Promise<Running> | undefined;
/** The live process, known synchronously for the exit hook (which cannot wait for a promise). */
let current: Running | undefined;
let users = 0;

async function startProcess(l: Loaded): Promise<Running> {
  const port = await freePort();
  // On Linux the analyzer is told to die with this process (setpriv's parent-death signal), so a Node
  // process killed without its exit hook leaves no analyzer behind.
  const pdeath = process.platform === 'linux' && existsSync(SETPRIV);
  const child = pdeath
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', l.binary, '127.0.0.1', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(l.binary, ['127.0.0.1', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const state: Running = { child, client: undefined, exited: false };
  current = state;
  child.once('exit', () => (state.exited = true));
  child.once('error', () => (state.exited = true));
  const proto = l.grpc.loadPackageDefinition(l.definition) as any;
  state.client = new proto.zetasql.local_service.ZetaSqlLocalService(`127.0.0.1:${port}`, l.grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': 256 * 1024 * 1024,
    'grpc.max_receive_message_length': 256 * 1024 * 1024,
  });
  try {
    await new Promise<void>((resolve, reject) => state.client.waitForReady(Date.now() + 15_000, (e: Error | undefined) => (e ? reject(e) : resolve())));
  } catch (e) {
    child.kill('SIGKILL');
    throw new AnalyzerUnavailable(`the ZetaSQL analyzer did not start (${(e as Error).message})${stderr ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`);
  }
  return state;
}

function stop(r: Running): void {
  r.client?.close();
  if (!r.exited) r.child.kill('SIGKILL');
}

/** The analyzer process's id while it runs (for supervision tests and diagnostics). */
export async function analyzerProcessId(): Promise<number | undefined> {
  const r = running ? await running.catch(() => undefined) : undefined;
  return r && !r.exited ? r.child.pid : undefined;
}

let exitHooked = false;

/** Starts (or joins) the process-wide analyzer; call `release()` when done. */
export async function acquireZetaSql(): Promise<ZetaSql> {
  loading ??= load();
  loading.catch(() => (loading = undefined));
  const l = await loading;
  users++;
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      if (current && !current.exited) current.child.kill('SIGKILL');
    });
  }
  const ensure = async (): Promise<Running> => {
    const current = running ? await running.catch(() => undefined) : undefined;
    if (current && !current.exited) return current;
    running = startProcess(l);
    running.catch(() => (running = undefined));
    return running;
  };
  try {
    await ensure();
  } catch (e) {
    users--;
    throw e;
  }
  let released = false;
  const invoke = (r: Running, method: string, request: unknown): Promise<any> =>
    new Promise((resolve, reject) => r.client[method](request, (e: unknown, out: unknown) => (e ? reject(e) : resolve(out))));
  return {
    async call(method, request) {
      const r = await ensure();
      try {
        return await invoke(r, method, request);
      } catch (e) {
        // UNAVAILABLE: the server died under the call (its evaluator can crash): restart once and retry.
        if ((e as { code?: number }).code !== 14) throw e;
        r.exited = true;
        r.child.kill('SIGKILL');
        return invoke(await ensure(), method, request);
      }
    },
    enumValues(name) {
      const t = l.definition[name] as { type?: { value?: { name: string }[] } } | undefined;
      return (t?.type?.value ?? []).map((v) => v.name);
    },
    async release() {
      if (released) return;
      released = true;
      if (--users > 0 || !running) return;
      const r = await running.catch(() => undefined);
      running = undefined;
      if (r) stop(r);
    },
  };
}
