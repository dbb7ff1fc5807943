/** `strata docs serve --browser`: loaded by that command alone. */
export { openBrowser } from '../docs/index.js';
