/** How JS functions receive a template call's arguments: positional values, then keyword arguments as one marked object. */
export { isKw, splitKw as splitArgs, type Kw } from './jinja/call-args.js';
