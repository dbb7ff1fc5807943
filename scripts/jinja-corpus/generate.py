#!/usr/bin/env python3
"""Render the Jinja2 conformance corpus with real Jinja2.

Input:  scripts/jinja-corpus/cases/<topic>.yml  (what -> template, or what -> {template, context, raises})
Output: src/templating/jinja/corpus/<topic>.json (name, template, context, expected output or error)

The environment is the one dbt renders with: a SandboxedEnvironment with the `do` and `loopcontrols`
extensions and Jinja2's defaults otherwise (default Undefined, keep_trailing_newline=False,
trim_blocks/lstrip_blocks off, no autoescape). Cases marked `dbt: true` also get dbt's `return()` and
its block tags (dbt_mode.py); cases marked `parse: true` render with the undefined dbt uses while it parses
a node (dbt_mode.py's DbtParseUndefined). dbt's renaming of `{% macro %}` names is left out.

Run: python3 scripts/jinja-corpus/generate.py   (uses Debian's python3-jinja2 under /usr/bin/python3)
"""
import copy
import json
import math
import os
import re
import sys

DEBIAN_PYTHON = '/usr/bin/python3'
DEBIAN_SITE = '/usr/lib/python3/dist-packages'


def ensure_debian_jinja():
    """Re-run under Debian's python when the jinja2 found first is another install (e.g. pip's)."""
    try:
        import jinja2
        ok = jinja2.__file__.startswith(DEBIAN_SITE)
    except ImportError:
        ok = False
    if not ok and os.path.exists(DEBIAN_PYTHON) and os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, *sys.argv])
    if not ok:
        sys.exit('generate.py: needs Debian\'s python3-jinja2 (apt-get install -y python3-jinja2 python3-yaml)')


ensure_debian_jinja()

import jinja2  # noqa: E402
import jinja2.sandbox  # noqa: E402
import yaml  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ beside the script
from dbt_mode import DBT_TAGS, DbtParseUndefined, DbtReturnEnvironment, _return  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES_DIR = os.path.join(ROOT, 'scripts', 'jinja-corpus', 'cases')
OUT_DIR = os.path.join(ROOT, 'src', 'templating', 'jinja', 'corpus')

# Python exception class -> the engine's JinjaError kind. Anything else is 'runtime'.
KINDS = {
    'TemplateSyntaxError': 'syntax',
    'TemplateAssertionError': 'syntax',
    # Python's own SyntaxError when Jinja2 compiles its generated code (e.g. `{% break %}` outside a loop):
    # a template mistake found before rendering; its line is of the generated Python, so none is kept.
    'SyntaxError': 'syntax',
    'UndefinedError': 'undefined',
    'TypeError': 'type',
    'ZeroDivisionError': 'zero-division',
    'ValueError': 'value',
    'KeyError': 'key',
    'IndexError': 'index',
    'AttributeError': 'attribute',
    'SecurityError': 'security',
    'TemplateRuntimeError': 'runtime',
}
MAX_SAFE_INT = 2 ** 53 - 1


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f'duplicate key {key!r}', key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def check_json_value(value, where):
    """Contexts are plain JSON that JavaScript reads back exactly: no integral floats, no unsafe ints."""
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INT:
            raise SystemExit(f'{where}: int {value} is not exact in JavaScript; build it in the template')
        return
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or value == int(value):
            raise SystemExit(f'{where}: float {value!r} reads back as an int in JavaScript; build it in the template')
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_json_value(item, f'{where}[{i}]')
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise SystemExit(f'{where}: key {key!r} is not a string')
            check_json_value(item, f'{where}.{key}')
        return
    raise SystemExit(f'{where}: {type(value).__name__} is not JSON (quote dates and the like)')


EXTENSIONS = ['jinja2.ext.do', 'jinja2.ext.loopcontrols']


def make_environment(dbt=False, parse=False):
    if parse:
        return jinja2.sandbox.SandboxedEnvironment(extensions=EXTENSIONS, undefined=DbtParseUndefined)
    if dbt:
        env = DbtReturnEnvironment(extensions=[*EXTENSIONS, *DBT_TAGS])
        env.globals['return'] = _return
        return env
    return jinja2.sandbox.SandboxedEnvironment(extensions=EXTENSIONS)


def template_line(exc):
    """The template line Jinja2's rewritten traceback points at (innermost template frame)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == '<template>':
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render(template, context, dbt=False, parse=False):
    try:
        output = make_environment(dbt, parse).from_string(template).render(copy.deepcopy(context))
        return {'output': output}
    except Exception as exc:  # noqa: BLE001 - every Jinja2 failure is a corpus result
        python = type(exc).__name__
        error = {'kind': KINDS.get(python, 'runtime'), 'python': python, 'message': str(exc)}
        if isinstance(exc, jinja2.TemplateSyntaxError):
            line = exc.lineno
        elif python == 'SyntaxError':
            line = None
            error['message'] = exc.msg
        else:
            line = template_line(exc)
        if line is not None:
            error['line'] = line
        return {'error': error}


def load_cases(path):
    topic = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding='utf-8') as f:
        data = yaml.load(f, Loader=UniqueKeyLoader)
    if not isinstance(data, dict):
        raise SystemExit(f'{path}: expected a mapping of case name -> template')
    cases = []
    for what, spec in data.items():
        name = f'{topic}/{what}'
        if isinstance(spec, str):
            spec = {'template': spec}
        unknown = set(spec) - {'template', 'context', 'raises', 'output', 'dbt', 'parse'}
        if unknown or 'template' not in spec:
            raise SystemExit(f'{name}: needs template; unknown keys {sorted(unknown)}')
        context = spec.get('context') or {}
        check_json_value(context, f'{name}: context')
        cases.append((name, spec, context))
    return topic, cases


def run_case(name, spec, context):
    dbt = bool(spec.get('dbt'))
    parse = bool(spec.get('parse'))
    expected = render(spec['template'], context, dbt, parse)
    again = render(spec['template'], context, dbt, parse)
    if again != expected:
        raise SystemExit(f'{name}: renders differently twice: {expected!r} vs {again!r}')
    text = json.dumps(expected)
    if re.search(r' at 0x[0-9a-f]+', text):
        raise SystemExit(f'{name}: result shows a memory address (not reproducible): {text}')
    if re.search(r'<template>, line \d+', text):
        raise SystemExit(f'{name}: message names a line of generated Python: {text}')
    raises = spec.get('raises')
    got = expected['error']['python'] if 'error' in expected else None
    if raises != got:
        raise SystemExit(f'{name}: expected raises={raises!r}, Jinja2 gave {expected!r}')
    if 'output' in spec and expected.get('output') != spec['output']:
        raise SystemExit(f'{name}: expected output {spec["output"]!r}, Jinja2 gave {expected!r}')
    case = {'name': name, 'template': spec['template'], 'context': context, 'expected': expected}
    if dbt:
        case['dbt'] = True
    if parse:
        case['parse'] = True
    return case


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    files = sorted(f for f in os.listdir(CASES_DIR) if f.endswith('.yml'))
    summary = []
    written = set()
    for file in files:
        topic, cases = load_cases(os.path.join(CASES_DIR, file))
        results = [run_case(name, spec, context) for name, spec, context in cases]
        with open(os.path.join(OUT_DIR, f'{topic}.json'), 'w', encoding='utf-8') as f:
            json.dump(results, f, sort_keys=True, indent=2, ensure_ascii=False)
            f.write('\n')
        written.add(f'{topic}.json')
        errors = sum(1 for r in results if 'error' in r['expected'])
        summary.append(f'{topic:24} {len(results):4} cases ({errors} raise)')
    for stale in sorted(set(f for f in os.listdir(OUT_DIR) if f.endswith('.json')) - written):
        os.remove(os.path.join(OUT_DIR, stale))
        print(f'removed stale {stale}')
    total = sum(int(line.split()[1]) for line in summary)
    summary.append(f'{"total":24} {total:4} cases')
    header = f'Rendered by Jinja2 {jinja2.__version__} (Debian python3-jinja2) on Python {sys.version.split()[0]}'
    with open(os.path.join(OUT_DIR, 'generated-by.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join([header, '', *summary]) + '\n')
    print('\n'.join([header, *summary]))


if __name__ == '__main__':
    main()
