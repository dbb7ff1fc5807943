#!/usr/bin/env python3
"""Load the YAML corpus with PyYAML as dbt does (yaml.safe_load) and print each value with Jinja2.

Input:  scripts/jinja-corpus/yaml-cases.yml  (name -> a YAML text with a key `v`)
Output: src/project/yaml-corpus.json          (name, yaml, expected: what `{{ v }}` renders)
And:    scripts/jinja-corpus/context-cases.yml (name -> template, and vars: the text of a `vars:` block)
     -> src/templating/context-corpus.json     (name, template, vars, expected), rendered with dbt's
        fromjson, fromyaml, toyaml, tojson and var() as dbt/context/base.py defines them

Run: python3 scripts/jinja-corpus/generate-yaml.py   (Debian's python3-yaml and python3-jinja2)
"""
import json
import os
import sys

import jinja2.sandbox
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, 'scripts', 'jinja-corpus', 'yaml-cases.yml')
OUT = os.path.join(ROOT, 'src', 'project', 'yaml-corpus.json')
CONTEXT_CASES = os.path.join(ROOT, 'scripts', 'jinja-corpus', 'context-cases.yml')
CONTEXT_OUT = os.path.join(ROOT, 'src', 'templating', 'context-corpus.json')


def dbt_functions(variables):
    """dbt's definitions (dbt/context/base.py), without their error handling."""
    def tojson(value, default=None, sort_keys=False):
        return json.dumps(value, sort_keys=sort_keys)

    def toyaml(value, default=None, sort_keys=False):
        return yaml.safe_dump(data=value, sort_keys=sort_keys)

    return {
        'fromjson': lambda s, default=None: json.loads(s),
        'tojson': tojson,
        'fromyaml': lambda s, default=None: yaml.safe_load(s),
        'toyaml': toyaml,
        'var': lambda name, default=None: variables.get(name, default),
    }


def write(path, cases):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(cases, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'{len(cases)} cases -> {os.path.relpath(path, ROOT)}', file=sys.stderr)


def context_cases(env):
    with open(CONTEXT_CASES, encoding='utf-8') as f:
        cases = yaml.safe_load(f)
    out = []
    for name, spec in cases.items():
        variables = yaml.safe_load(spec.get('vars', '{}'))
        expected = env.from_string(spec['template']).render(dbt_functions(variables))
        out.append({'name': name, 'template': spec['template'], 'vars': spec.get('vars', '{}'), 'expected': expected})
    return out


def main():
    with open(CASES, encoding='utf-8') as f:
        cases = yaml.safe_load(f)
    env = jinja2.sandbox.SandboxedEnvironment()
    out = []
    for name, text in cases.items():
        value = yaml.safe_load(text)
        expected = env.from_string('{{ v }}').render(v=value['v'])
        out.append({'name': name, 'yaml': text, 'expected': expected})
    write(OUT, out)
    write(CONTEXT_OUT, context_cases(env))


if __name__ == '__main__':
    main()
