/** What the local BigQuery cannot execute faithfully: the job says so instead of running something else. */
export class Untranslatable extends Error {}
