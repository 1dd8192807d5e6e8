"""Jinja2 templates: the shipped ones in templates/, overridden by the user's folder.

Template names carry the language: `chase/t1.ru.txt.j2`. `render(config, "chase/t1",
"ru", ...)` picks `chase/t1.ru.txt.j2`, else the English one. A user overrides any file by
putting one with the same relative name in the folder named by `templates_dir`.
jinja2 is imported here only, and only when a template is needed.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .errors import TemplateError, TemplateMissing
from .resources import templates_dir


def preload() -> None:
    """Import jinja2 now: log.read_log does it on the other core while calamine parses the
    sheet (it lets go of the GIL), as every command then says its lines through templates:
    ~30 ms of CPU a command would otherwise spend after the read."""
    import jinja2  # noqa: F401


@lru_cache(maxsize=8)
def _environment(user_dir: str | None):
    import jinja2

    class Environment(jinja2.Environment):
        def make_globals(self, d):
            # jinja2 gives each template a ChainMap over the environment's globals (so
            # later changes show through); every render and every include then copied
            # it item by item, several times the cost of the render itself on a summary.
            # Ours never change after the environment is made: a plain dict will do.
            return {**self.globals, **(d or {})}

        def get_template(self, name, parent=None, globals=None):
            # Every include asks for its template on every render; with auto_reload off
            # a loaded template never changes, so a dict lookup answers.
            if globals is not None or not isinstance(name, str):
                return super().get_template(name, parent, globals)
            found = self.loaded.get((name, parent))
            if found is None:
                found = self.loaded[(name, parent)] = super().get_template(name, parent)
            return found

    dirs = [user_dir] if user_dir else []
    dirs.append(str(templates_dir()))
    env = Environment(
        loader=jinja2.FileSystemLoader(dirs, encoding="utf-8"),
        bytecode_cache=_compiled_templates(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        # Templates do not change during a run; checking their files on every render was
        # a stat() per row.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        # Most templates are plain text (messages, summaries, YAML); the HTML ones (digest,
        # notice) escape every value themselves with |e, so autoescaping stays off.
        autoescape=False,
    )
    env.loaded = {}     # (name, parent) -> template, for includes
    env.inlined = {}    # template name -> (template with includes put in place, its syntax tree)
    env.filters["sama"] = sama
    # A sheet's name in an English line, as Python quotes it ('Call log', "O'Brien's").
    env.filters["repr"] = repr
    return env


# What a Japanese name cell may end with already: an honorific, or a title that takes none.
_JA_TITLES = ("様", "さま", "殿", "さん", "御中", "先生", "社長", "副社長", "会長", "取締役", "専務", "常務",
              "部長", "次長", "課長", "係長", "室長", "所長", "支店長", "店長", "主任", "マネージャー")


def sama(name: Any) -> str:
    """`name` with 様, as a Japanese letter greets a person; a name written with its
    honorific or title already (岡田様, 松本課長) keeps it as it is: 様 twice, or after a
    title, is wrong in business Japanese."""
    text = str(name or "").strip()
    if not text or text.endswith(_JA_TITLES):
        return text
    return text + "様"


def _compiled_templates() -> Any:
    """Where jinja2 keeps each template compiled, between runs: compiling a template takes
    ~3 ms, loading it compiled ~0.2 ms, and a command loads tens of them (the messages of
    `overdue` in four languages: 0.1 s of its time). jinja2 compiles one again when its
    source changed, or jinja2 or Python did; the folder's name changes with this module,
    where the options that shape the compiled code are set. A cache that cannot be read
    or written costs the time it saves, nothing more."""
    import hashlib

    import jinja2

    from .config import KEPT_VERSIONS, forget_older, user_cache_dir

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged file: the template is compiled again
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                if not os.path.isdir(self.directory):   # a new version: the oldest others go
                    forget_older(Path(self.directory).parent, "templates-*", keep=KEPT_VERSIONS - 1)
                    os.makedirs(self.directory)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    try:
        options = Path(__file__).read_bytes()
    except OSError:
        return None   # nothing to tell a stale cache by: every run compiles, as jinja2 does alone
    version = hashlib.blake2b(jinja2.__version__.encode() + b"\0" + options, digest_size=6).hexdigest()
    return Cache(str(user_cache_dir() / f"templates-{version}"))


def environment(config) -> Any:
    user = config.templates_dir if config is not None else None
    return _environment(str(user) if user else None)


def _candidates(base: str, lang: str, ext: str) -> list[str]:
    return [f"{base}.{lang}.{ext}.j2", f"{base}.en.{ext}.j2", f"{base}.{ext}.j2"]


def _load(env, base: str, lang: str, ext: str):
    """The first of `base.lang.ext.j2`, `base.en.ext.j2`, `base.ext.j2` that exists.

    get_template caches what it compiled, so a row-by-row render costs no folder walk.
    """
    import jinja2

    resolved = env.__dict__.setdefault("_call_tracker_resolved", {})
    found = resolved.get((base, lang, ext))
    if found is not None:
        return env.get_template(found)
    names = _candidates(base, lang, ext)
    for name in names:
        try:
            template = env.get_template(name)
            # A miss is not cached by jinja2 (it asks the loader again): remember the hit.
            resolved[(base, lang, ext)] = name
            return template
        except jinja2.TemplateNotFound:
            continue
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise TemplateError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
    raise TemplateMissing(f"no template {names[0]} (nor an English one) in {templates_dir()}")


def template_name(config, base: str, lang: str, ext: str = "txt") -> str:
    """The name of the template `render` would use."""
    return _load(environment(config), base, lang, ext).name


def render(config, base: str, lang: str = "en", ext: str = "txt", **context: Any) -> str:
    """Render a template; a broken one raises TemplateError naming the file and line."""
    import jinja2

    env = environment(config)
    name = _candidates(base, lang, ext)[0]
    try:
        template = _load(env, base, lang, ext)
        name = template.name
        return template.render(**context).strip("\n")
    except jinja2.TemplateSyntaxError as exc:  # in an included template
        where = exc.filename or exc.name or name
        raise TemplateError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_source_of(env, name)}:{_error_line(exc, name)}: template error: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_source_of(env, name)}: template error: {exc}") from None
    except Exception as exc:
        # A template of the user's (templates_dir) that fails as it renders ({{ "a" + 1 }},
        # {{ 1/0 }}) is theirs to mend: named, with its line. In a shipped one it is a bug
        # of ours, for the crash report.
        where = _source_of(env, name)
        if not _users_template(config, where):
            raise
        raise TemplateError(f"{where}:{_error_line(exc, name)}: template error: "
                            f"{type(exc).__name__}: {exc}") from None


def _users_template(config, where: str) -> bool:
    folder = getattr(config, "templates_dir", None)
    if not folder:
        return False
    try:
        return Path(where).resolve().is_relative_to(Path(folder).resolve())
    except (OSError, ValueError):
        return False


def renderer(config, base: str, lang: str = "en", ext: str = "txt",
             fixed: dict[str, Any] | None = None, *, many: bool = False) -> Callable[[dict], str]:
    """`render` of one template as a function of its context, for rendering it on
    thousands of rows: the template is looked up once, and each call builds only the
    render context (what jinja2's Template.render does, less its per-call set-up).
    `fixed`: values every call's context holds unchanged; a call's context may leave them
    out (a summary's is two thirds fixed words: copying them into it on every row took
    0.07 s at 100 000 rows). Once rendered `_FIXED_FROM` times, the template becomes
    a Python function (`_python`) with their texts written in (`_constants_tree`); one that
    cannot is compiled again by jinja2 with them (`_with_constants`). `many`: the caller
    knows it will render thousands of rows, so the template becomes Python on its first
    render."""
    env = environment(config)
    template, tree = _inlined(env, _load(env, base, lang, ext))
    root, concat, context_class = template.root_render_func, env.concat, env.context_class
    name, blocks, globals_ = template.name, template.blocks, template.globals
    defaults = {**globals_, **fixed} if fixed else globals_   # what a name not in the context is
    python = None
    renders = 0

    def run(context: dict) -> str:
        nonlocal root, python, renders
        renders += 1
        if renders == (1 if many else _FIXED_FROM):
            python = _python(env, _constants_tree(env, template, fixed) if fixed else tree, defaults)
            if python is None and fixed:
                root = _with_constants(env, template, fixed).root_render_func
        if python is not None:
            try:
                return python(context).strip("\n")
            except Exception:  # noqa: BLE001 - read otherwise by jinja2 (a plain dict's key), or an error it tells
                pass
        if fixed:
            context = {**fixed, **context}
        try:
            return concat(root(context_class(env, {**globals_, **context}, name, blocks, globals_))).strip("\n")
        except Exception:  # noqa: BLE001 - rendered again by `render`, which names the file and line
            return render(config, base, lang, ext, **context)

    return run


# Making a summary format a Python function with its fixed values costs what ~400 renders
# save (2.3 ms; it renders in ~3.5 µs where jinja2 took ~9.5): not done for a format
# only a few rows use, and not left for long on a log of thousands, where most formats
# serve thousands of rows.
_FIXED_FROM = 300

# What an included template may hold to be put in place of its include: output, if, for
# and more such includes; no names that mean something else in another template.
_PLAIN_STATEMENTS = ("Output", "If", "For", "Include")
_OWN_NAMES = {"self", "super", "caller", "varargs", "kwargs", "loop"}


def _inlined(env, template):
    # One file serves every language and call type that has no file of its own.
    found = env.inlined.get(template.name)
    if found is None:
        found = env.inlined[template.name] = _inline(env, template)
    return found


def _inline(env, template):
    """`template` and its syntax tree, each include of a fixed name (outside loops)
    replaced by the body of the template it names when that one holds only output, ifs
    and loops: the same text, without a context, a generator and a template lookup per
    include per render. Anything else, or any doubt, keeps the include as it is."""
    from jinja2 import nodes

    def body_of(name: str):
        try:
            tree = _parsed(env, name)
        except Exception:  # noqa: BLE001 - left to the include to report at render time
            return None
        plain = all(type(n).__name__ in _PLAIN_STATEMENTS for n in tree.find_all(nodes.Stmt))
        own = any(n.name in _OWN_NAMES for n in tree.find_all(nodes.Name))
        return tree.body if plain and not own else None

    def expand(body: list, depth: int) -> tuple[list, bool]:
        out, changed = [], False
        for node in body:
            if (isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const)
                    and isinstance(node.template.value, str) and node.with_context
                    and not node.ignore_missing and depth < 8):
                inner = body_of(node.template.value)
                if inner is not None:
                    out += expand(inner, depth + 1)[0]
                    changed = True
                    continue
            if isinstance(node, nodes.If):
                node.body, a = expand(node.body, depth)
                node.elif_, b = expand(node.elif_, depth)
                node.else_, c = expand(node.else_, depth)
                changed = changed or a or b or c
            out.append(node)
        return out, changed

    try:
        tree = _parsed(env, template.name)
        tree.body, changed = expand(tree.body, 0)
        if not changed:
            return template, tree
        code = env.compile(tree, template.name, template.filename)
        return env.template_class.from_code(env, code, template.globals), tree
    except Exception:  # noqa: BLE001 - the template as jinja2 made it still renders
        return template, None


def _parsed(env, name: str):
    source, filename, _ = env.loader.get_source(env, name)
    return env.parse(source, name, filename)


def _with_constants(env, template, fixed: dict[str, Any]):
    """`template` compiled from its `_constants_tree`; else `template` as it is."""
    tree = _constants_tree(env, template, fixed)
    if tree is None:
        return template
    try:
        code = env.compile(tree, template.name, template.filename)
        return env.template_class.from_code(env, code, template.globals)
    except Exception:  # noqa: BLE001 - the template as jinja2 made it still renders
        return template


def _constants_tree(env, template, fixed: dict[str, Any]):
    """The syntax tree of `template` with each name of `fixed` that stands for a text or a
    yes/no, and each text attribute of one (`L.company_name`), read as a constant: a label
    and the text around it are then written as one string, instead of looking both up on
    every render. A loop over a fixed list of texts (the actions) is written out, item by item,
    when its body is plain output and ifs. Only in a template of output, ifs, loops and
    includes that never assigns the name, where a name always means the context's value;
    else None."""
    import copy

    from jinja2 import nodes
    from jinja2.visitor import NodeTransformer

    def constant(name: str, node):
        value = fixed[name] if node is None else env.getattr(fixed[name], node.attr)
        return type(value) is str or (node is None and type(value) is bool), value

    tree = _inlined(env, template)[1]
    if tree is not None:
        tree = copy.deepcopy(tree, {id(env): env})   # the transformer changes it; the nodes, not the environment
    if tree is None or not all(type(n).__name__ in _PLAIN_STATEMENTS for n in tree.find_all(nodes.Stmt)):
        return None
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx != "load"}
    names = {name for name in fixed if name not in assigned}

    class Constants(NodeTransformer):
        def visit_Name(self, node):
            if node.name in names and node.ctx == "load":
                plain, value = constant(node.name, None)
                if plain:
                    return nodes.Const(value, lineno=node.lineno, environment=env)
            return node

        def visit_Getattr(self, node):
            if isinstance(node.node, nodes.Name) and node.node.name in names and node.ctx == "load":
                plain, value = constant(node.node.name, node)
                if plain:
                    return nodes.Const(value, lineno=node.lineno, environment=env)
            return self.generic_visit(node)

        def visit_For(self, node):
            items = fixed[node.iter.name] if isinstance(node.iter, nodes.Name) and node.iter.name in names else None
            if not (type(items) in (list, tuple) and all(type(i) is str for i in items)
                    and isinstance(node.target, nodes.Name) and not node.else_ and node.test is None
                    and not node.recursive and _writes_out(node.body)):
                return self.generic_visit(node)
            out = []
            for item in items:
                body = copy.deepcopy(node.body, {id(env): env})
                out += [self.visit(Item(node.target.name, item).visit(n)) for n in body]
            return out

    class Item(NodeTransformer):
        def __init__(self, name: str, value: str):
            self.name, self.value = name, value

        def visit_Name(self, node):
            return nodes.Const(self.value, lineno=node.lineno, environment=env) if node.name == self.name else node

    try:
        tree = Constants().visit(tree)
        for n in [tree, *tree.find_all((nodes.If, nodes.For))]:
            n.body = _outputs_joined(n.body)
            if isinstance(n, (nodes.If, nodes.For)):
                n.else_ = _outputs_joined(n.else_)
        return tree
    except Exception:  # noqa: BLE001 - the template as jinja2 made it still renders
        return None


def _writes_out(body: list) -> bool:
    """Whether a loop's body only writes out and tests, and reads its item only by name
    (nothing of `loop`, no include that would see the item, no assignment)."""
    from jinja2 import nodes

    tree = nodes.Template(body)
    return (all(type(n).__name__ in ("Output", "If") for n in tree.find_all(nodes.Stmt))
            and all(n.ctx == "load" and n.name != "loop" for n in tree.find_all(nodes.Name)))


def _outputs_joined(body: list) -> list:
    # Outputs in a row are one output: jinja2 then joins their constant parts.
    from jinja2 import nodes

    out: list = []
    for node in body:
        if isinstance(node, nodes.Output) and out and isinstance(out[-1], nodes.Output):
            out[-1] = nodes.Output(out[-1].nodes + node.nodes, lineno=out[-1].lineno, environment=out[-1].environment)
        else:
            out.append(node)
    return out


_PLAIN = (str, int, float, bool, type(None))   # constants a template writes as Python would


def _python(env, tree, globals_: dict) -> Callable[[dict], str] | None:
    """The template of `tree` as a plain Python function of its context (`globals_`: the
    values of the names a context may leave out), one f-string per run of output: jinja2
    builds a context, a generator and an undefined check per name per render, most of
    the ~10 µs a summary's render took. Only for a template of output,
    ifs, loops over a value into one name, includes of a fixed name, and names, their
    attributes, constants, `and`, `or`, `not`; else None. The function returns the text
    jinja2 would, or raises where jinja2 might answer otherwise (a missing name, an item
    read as an attribute: a plain dict's key), and the caller then asks jinja2."""
    import keyword

    from jinja2 import nodes

    if tree is None or env.finalize or env.autoescape is not False or env.is_async or getattr(env, "sandboxed", False):
        return None   # outputs are no longer plain str(value)

    class Unsupported(Exception):
        pass

    consts: dict[str, Any] = {}     # Python name -> value, the function's globals
    names: dict[str, str] = {}      # context name -> the local read from the context once
    scope: list[dict[str, str]] = []    # loop names -> their locals, innermost last
    lines: list[str] = []

    def const(value) -> str:
        consts[f"k{len(consts)}"] = value
        return f"k{len(consts) - 1}"

    def expr(node) -> str:
        # Every value an expression of these yields goes through str() or bool() or iter()
        # in the end, and StrictUndefined fails all three: a name or attribute jinja2 would
        # call undefined may raise as soon as it is read.
        kind = type(node)
        if kind is nodes.Name and node.ctx == "load" and node.name not in _OWN_NAMES:
            for targets in reversed(scope):
                if node.name in targets:
                    return targets[node.name]
            return names.setdefault(node.name, f"n{len(names)}")
        if kind is nodes.Const and type(node.value) in _PLAIN:
            return const(node.value)
        # Python's own attribute read, where jinja2 would then try an item: a miss raises.
        # ASCII only: Python normalizes other names (NFKC), jinja2's getattr does not.
        if (kind is nodes.Getattr and node.ctx == "load" and node.attr.isascii() and node.attr.isidentifier()
                and not keyword.iskeyword(node.attr)):
            return f"{expr(node.node)}.{node.attr}"
        if kind in (nodes.And, nodes.Or):
            return f"({expr(node.left)} {kind.__name__.lower()} {expr(node.right)})"
        if kind is nodes.Not:
            return f"(not {expr(node.node)})"
        raise Unsupported

    def block(body: list, indent: str, depth: int) -> None:
        start = len(lines)
        for node in body:
            statement(node, indent, depth)
        if len(lines) == start:
            lines.append(f"{indent}pass")

    def statement(node, indent: str, depth: int) -> None:
        kind = type(node)
        if kind is nodes.Output:
            # Text and constants written as they are (jinja2 does so too, with str()).
            text = "".join(
                child.data.replace("{", "{{").replace("}", "}}") if type(child) is nodes.TemplateData
                else str(child.value).replace("{", "{{").replace("}", "}}") if type(child) is nodes.Const
                and type(child.value) in _PLAIN
                else f"{{{expr(child)}!s}}" for child in node.nodes)
            if text:
                lines.append(f"{indent}add(f{text!r})")
        elif kind is nodes.If:
            lines.append(f"{indent}if {expr(node.test)}:")
            block(node.body, indent + " ", depth)
            for other in node.elif_:
                lines.append(f"{indent}elif {expr(other.test)}:")
                block(other.body, indent + " ", depth)
            if node.else_:
                lines.append(f"{indent}else:")
                block(node.else_, indent + " ", depth)
        elif (kind is nodes.For and type(node.target) is nodes.Name and node.target.name not in _OWN_NAMES
              and node.test is None and not node.recursive):
            item, empty, values = f"t{len(lines)}", f"e{len(lines)}", expr(node.iter)
            if node.else_:   # jinja2's else: the loop ran no round
                lines.append(f"{indent}{empty} = True")
            lines.append(f"{indent}for {item} in {values}:")
            if node.else_:
                lines.append(f"{indent} {empty} = False")
            scope.append({node.target.name: item})
            block(node.body, indent + " ", depth)
            scope.pop()
            if node.else_:
                lines.append(f"{indent}if {empty}:")
                block(node.else_, indent + " ", depth)
        elif (kind is nodes.Include and type(node.template) is nodes.Const and type(node.template.value) is str
              and node.with_context and not node.ignore_missing and depth < 8):
            # Seeing the same context and loop names, an included body is the include.
            block(_parsed(env, node.template.value).body, indent, depth + 1)
        else:
            raise Unsupported

    try:
        block(tree.body, " ", 0)
        head = [f" {local} = ctx.get({name!r}, {const(globals_[name])})" if name in globals_
                else f" {local} = ctx[{name!r}]" for name, local in names.items()]
        source = "\n".join(["def render(ctx):", *head, " out = []", " add = out.append", *lines,
                            ' return "".join(out)'])
        namespace = dict(consts)
        exec(compile(source, "<template as Python>", "exec"), namespace)   # noqa: S102 - our own source
        return namespace["render"]
    except Exception:  # noqa: BLE001 - anything else is jinja2's to render
        return None


def attributes_read(config, base: str, lang: str, variable: str, ext: str = "txt") -> frozenset[str] | None:
    """The attributes of `variable` the template reads (`v.company_name`: company_name),
    its includes put in place; None when it may use the variable some other way, or
    includes a template by a computed name."""
    from jinja2 import nodes

    env = environment(config)
    _, tree = _inlined(env, _load(env, base, lang, ext))
    if tree is None or any(True for _ in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends))):
        return None
    uses = sum(1 for n in tree.find_all(nodes.Name) if n.name == variable)
    read = [g.attr for g in tree.find_all(nodes.Getattr) if isinstance(g.node, nodes.Name) and g.node.name == variable]
    return frozenset(read) if len(read) == uses else None


def _error_line(exc: BaseException, name: str) -> str:
    """The template line of a render-time error, from the traceback jinja2 rewrites."""
    tb = exc.__traceback__
    line = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            line = str(tb.tb_lineno)
        tb = tb.tb_next
    return line or "?"


def _source_of(env, name: str) -> str:
    try:
        _, filename, _ = env.loader.get_source(env, name)
        return str(Path(filename))
    except Exception:  # noqa: BLE001 - only used to decorate a message
        return name
