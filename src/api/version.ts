/** Strata's version, for `strata --version` without loading the commands. */
export { STRATA_VERSION } from '../artifacts/version.js';
