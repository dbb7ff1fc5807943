/** Starts and stops the loopback S3 server (s3rver in a child process). */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningS3 {
  endpoint: string;
  port: number;
  /** Where the objects are kept; pass it to startS3Server again to restart with the same objects. */
  directory: string;
  /** SIGTERM (a clean stop, which removes the data folder) by default; SIGKILL to simulate a crash (the folder stays for a restart). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startS3Server(port = 0, directory?: string): Promise<RunningS3> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 's3-server.mjs');
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, S3RVER_PORT: String(port), ...(directory ? { S3RVER_DIR: directory } : {}) } });
  const info = await new Promise<{ port: number; directory: string }>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`s3rver did not start: ${err}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number; directory: string });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => reject(new Error(`s3rver exited with ${code}: ${err}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${info.port}`,
    port: info.port,
    directory: info.directory,
    stop: (signal: NodeJS.Signals = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          if (signal !== 'SIGKILL') rmSync(info.directory, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill(signal);
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
