/**
 * Loaded in every test worker: any TCP connection to an address outside 127.0.0.0/8 (or ::1)
 * throws, so a test can never reach the internet or a cloud metadata server by accident.
 */
import net from 'node:net';

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.GCE_METADATA_HOST = '127.0.0.1:1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

export function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true;
  if (host === '::1' || host === '[::1]') return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(host)) return true;
  if (/^::ffff:127\./.test(host)) return true;
  return false;
}

const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as unknown;
  let host: string | undefined;
  let path: string | undefined;
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const o = first as { host?: string; path?: string };
    host = o.host;
    path = o.path;
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof args[1] === 'string' ? (args[1] as string) : undefined;
  } else if (typeof first === 'string') {
    path = first; // IPC socket path
  }
  if (!path && !isLoopback(host)) {
    throw new Error(`network guard: tests may only connect to 127.0.0.0/8, not ${host}`);
  }
  return (original as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
