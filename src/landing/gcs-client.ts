import type { Storage } from '@google-cloud/storage';
import type { GcsSettings } from './object-store.js';

/** The Cloud Storage client for these settings, imported only when a gs:// location or staging bucket is used. */
export async function gcsClient(s: GcsSettings): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage');
  return new Storage({
    ...(s.apiEndpoint ? { apiEndpoint: s.apiEndpoint } : {}),
    ...(s.projectId ? { projectId: s.projectId } : {}),
    ...(s.keyFilename ? { keyFilename: s.keyFilename } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
    retryOptions: { autoRetry: true, maxRetries: s.maxRetries ?? 4 },
  });
}
