export { landingNodeFor } from './landing-node.js';
export { landSource, type LandSourceOptions, type LandingResult } from './land-source.js';
export { storeFor, s3SettingsFrom, gcsSettingsFrom } from './store-for.js';
export { GcsStore, parseGcsLocation } from './gcs-store.js';
export { Ledger, LEDGER } from './ledger.js';
export { LocalStore } from './local-store.js';
export { S3Store, parseS3Location } from './s3-store.js';
export type { ObjectStore, ObjectInfo, S3Settings, GcsSettings } from './object-store.js';
export { GcsStaging } from './gcs-staging.js';
