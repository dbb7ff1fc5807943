/** Control-flow signals thrown through compiled templates, and user errors raised from templates. */
import { MacroReturn } from './jinja/index.js';

/** `{{ return(x) }}` inside a macro: the macro's value is `x`. */
export const ReturnSignal = MacroReturn;

/** A user mistake found while rendering (unknown ref, missing var, raise_compiler_error…). */
export class TemplateUserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TemplateUserError';
  }
}
