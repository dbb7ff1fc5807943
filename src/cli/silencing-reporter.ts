import type { Reporter, StrataEvent } from '../diagnostics/index.js';

/** dbt's `warn_error_options: {silence: […]}`: the warnings it names are not shown, on screen or in the log file. */
export class SilencingReporter implements Reporter {
  constructor(private readonly inner: Reporter, private readonly silenced: (code: string) => boolean) {}
  emit(event: StrataEvent): void {
    if (event.type === 'diagnostic' && event.diagnostic.severity === 'warn' && this.silenced(event.diagnostic.code)) return;
    this.inner.emit(event);
  }
}
