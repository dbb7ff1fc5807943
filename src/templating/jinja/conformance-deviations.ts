/**
 * Corpus cases where Strata's engine knowingly differs from Jinja2: case name → the reason.
 * docs/templating.md lists each one. The conformance test expects these cases to fail, so a deviation that
 * gets fixed is noticed (the test then fails) and removed from here.
 */
const EQUAL_KEYS = 'keys equal in Python but not in text (True, 1 and 1.0) stay apart: a dict is a JavaScript object keyed by str(key)';
const MARKUP = "no Markup type: dbt renders with autoescape off, so escape() always escapes and 'is escaped' is false";

export const CORPUS_DEVIATIONS: Readonly<Record<string, string>> = {
  'dict-methods/dict-bool-keys': EQUAL_KEYS,
  'numbers/float-as-dict-key': EQUAL_KEYS,
  'filters-string/escape-twice': MARKUP,
  'tests/escaped': MARKUP,
  'raw-comments/autoescape-block': MARKUP,
  'list-methods/list-multiply-nested-shares': "Jinja2's sandbox copies the inner lists of [[]] * 2; Strata shares them as plain Python does",
  'slicing/range-slice': 'range() is a list: a slice of it prints as a list, not as range(2, 5)',
  'string-methods/encode-length': 'str.encode() returns the string: there are no bytes objects',
};
