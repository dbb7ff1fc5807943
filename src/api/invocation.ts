import { randomUUID } from 'node:crypto';

/** A fresh invocation id (a UUID, like dbt's). */
export function newInvocationId(): string {
  return randomUUID();
}
