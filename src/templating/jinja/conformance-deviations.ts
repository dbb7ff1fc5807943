/**
 * Corpus cases where Strata's engine knowingly differs from Jinja2: case name → the reason.
 * The README lists each one. The conformance test expects these cases to fail, so a deviation that
 * gets fixed is noticed (the test then fails) and removed from here.
 */
export const CORPUS_DEVIATIONS: Readonly<Record<string, string>> = {};
