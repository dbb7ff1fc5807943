/** Control-flow signals thrown through nunjucks' compiled code, and user errors raised from templates. */

/** `{{ return(x) }}` inside a macro: the macro's value is `x`. */
export class ReturnSignal extends Error {
  constructor(readonly value: unknown) {
    super('return() outside a macro');
  }
}

/** The run render needs a warehouse answer it does not have yet: fetch it, then render again. */
export class NeedsWarehouse extends Error {
  constructor(
    readonly key: string,
    readonly fetch: () => Promise<unknown>,
  ) {
    super('needs a warehouse answer');
  }
}

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
