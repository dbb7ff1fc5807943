/**
 * Corpus cases where Strata's engine knowingly differs from Jinja2: case name → the reason.
 * docs/templating.md lists each one. The conformance test expects these cases to fail, so a deviation that
 * gets fixed is noticed (the test then fails) and removed from here.
 */
const NON_STRING_KEYS = 'dict keys are strings: a dict is a JavaScript object, so 1, 1.0, True and tuples as keys become their str()';
const MARKUP = "no Markup type: dbt renders with autoescape off, so escape() always escapes and 'is escaped' is false";

export const CORPUS_DEVIATIONS: Readonly<Record<string, string>> = {
  'dict-methods/dict-bool-keys': NON_STRING_KEYS,
  'literals/dict-int-key': NON_STRING_KEYS,
  'literals/dict-tuple-key': NON_STRING_KEYS,
  'numbers/float-as-dict-key': NON_STRING_KEYS,
  'scoping/dict-update-carries-out-of-loop': NON_STRING_KEYS,
  'filters-string/escape-twice': MARKUP,
  'tests/escaped': MARKUP,
  'raw-comments/autoescape-block': MARKUP,
  'list-methods/list-multiply-nested-shares': "Jinja2's sandbox copies the inner lists of [[]] * 2; Strata shares them as plain Python does",
  'slicing/range-slice': 'range() is a list: a slice of it prints as a list, not as range(2, 5)',
  'string-methods/encode-length': 'str.encode() returns the string: there are no bytes objects',
};
