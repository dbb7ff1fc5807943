"""dbt's additions to Jinja2 for the corpus cases marked `dbt: true`: `return()` and dbt's block tags.

Behaviour as dbt-common's `clients/jinja.py` has it (MacroGenerator.call_macro, TestExtension,
DocumentationExtension, MaterializationExtension); imported by generate.py once Debian's jinja2 is loaded.
"""
import jinja2
import jinja2.ext
import jinja2.nodes
import jinja2.runtime
import jinja2.sandbox


class MacroReturn(Exception):
    """What dbt's `return(value)` raises; the macro call that contains it evaluates to `value`."""

    def __init__(self, value):
        super().__init__()
        self.value = value


def _return(data):
    raise MacroReturn(data)


class DbtReturnEnvironment(jinja2.sandbox.SandboxedEnvironment):
    """dbt's `return()`: dbt calls every macro through a MacroGenerator that catches MacroReturn
    (dbt-common clients/jinja.py, call_macro). Here every macro call catches it, which is the same
    for macros defined in the template (dbt's call blocks are not covered: avoid return() in them)."""

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's own signature
        if isinstance(__obj, jinja2.runtime.Macro):
            try:
                return super().call(__context, __obj, *args, **kwargs)
            except MacroReturn as ret:
                return ret.value
        return super().call(__context, __obj, *args, **kwargs)


def _block_macro(parser, name, end_tag, signature=True):
    """A `{% <tag> name(...) %}...{% end<tag> %}` block defined as a macro, as dbt's block tags are."""
    node = jinja2.nodes.Macro(lineno=next(parser.stream).lineno)
    node.name = name(parser.parse_assign_target(name_only=True).name)
    node.args, node.defaults = [], []
    if signature:
        parser.parse_signature(node)
    return node, end_tag


class DbtTestTag(jinja2.ext.Extension):
    """dbt's `{% test name(args) %}`: a macro named dbt_macro__test_<name>."""
    tags = {'test'}

    def parse(self, parser):
        node, end = _block_macro(parser, lambda n: f'dbt_macro__test_{n}', 'name:endtest')
        node.body = parser.parse_statements((end,), drop_needle=True)
        return node


class DbtDocsTag(jinja2.ext.Extension):
    """dbt's `{% docs name %}`: a macro named dbt_docs__<name>, never called while rendering."""
    tags = {'docs'}

    def parse(self, parser):
        node, end = _block_macro(parser, lambda n: f'dbt_docs__{n}', 'name:enddocs', signature=False)
        node.body = parser.parse_statements((end,), drop_needle=True)
        return node


class DbtMaterializationTag(jinja2.ext.Extension):
    """dbt's `{% materialization name, default | adapter='x' [, supported_languages=[...]] %}`."""
    tags = {'materialization'}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        mat_name = parser.parse_assign_target(name_only=True).name
        adapter, languages = 'default', jinja2.nodes.List([jinja2.nodes.Const('sql')])
        while parser.stream.skip_if('comma'):
            key = parser.parse_assign_target(name_only=True).name
            if key == 'default':
                continue
            parser.stream.expect('assign')
            value = parser.parse_expression()
            if key == 'adapter':
                adapter = value.value
            elif key == 'supported_languages':
                languages = value
            else:
                parser.fail(f'unknown materialization argument {key!r}', lineno)
        node = jinja2.nodes.Macro(lineno=lineno)
        node.name = f'dbt_macro__materialization_{mat_name}_{adapter}'
        node.args, node.defaults = [jinja2.nodes.Name('supported_languages', 'param')], [languages]
        node.body = parser.parse_statements(('name:endmaterialization',), drop_needle=True)
        return node


DBT_TAGS = [DbtTestTag, DbtDocsTag, DbtMaterializationTag]


def _dunder(name):
    return name.startswith('__') and name.endswith('__')


class DbtParseUndefined(jinja2.Undefined):
    """The undefined dbt renders with while it parses a node (`capture_macros`; dbt-common's
    clients/jinja.py, create_undefined), for the cases marked `parse: true`. An item of it is itself; an
    attribute of it is a new one (a dunder name, and `name`, stay Python's AttributeError); calling it
    returns it. It keeps `name` and `hint` as plain attributes and clears the sandbox's unsafe flags, as
    dbt's does; `obj` and `exc` are dropped, so a sandbox refusal is this undefined too. Printing,
    iterating, truthiness, equality, arithmetic and ordering are Jinja2's Undefined."""

    def __init__(self, hint=None, obj=None, name=None, exc=None):  # noqa: ARG002 - dbt drops obj and exc
        super().__init__(hint=hint, name=name)
        self.node = None
        self.name = name
        self.hint = hint
        self.unsafe_callable = False
        self.alters_data = False

    def __getitem__(self, key):
        return self

    def __getattr__(self, name):
        if name == 'name' or _dunder(name):
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        self.name = name
        return self.__class__(hint=self.hint, name=self.name)

    def __call__(self, *args, **kwargs):
        return self
