// Runs s3rver (a real S3-compatible server) on 127.0.0.1 for the tests; prints {"port":…} once listening.
// Started as a child process because s3rver needs node's --openssl-legacy-provider on Node 20.
import S3rver from 's3rver';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// S3RVER_DIR reuses a data folder, so a test can stop the server and start it again with the same objects.
const directory = process.env.S3RVER_DIR ?? mkdtempSync(join(tmpdir(), 'strata-s3rver-'));
mkdirSync(directory, { recursive: true });
const server = new S3rver({ port: Number(process.env.S3RVER_PORT ?? 0), address: '127.0.0.1', silent: true, directory, allowMismatchedSignatures: true });
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port, directory }) + '\n');
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
