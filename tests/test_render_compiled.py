"""Templates rendered as plain Python (tracker/render.py `_python`): the same text as
jinja2, for the shipped summary formats and for user formats of the same few statements;
jinja2 itself for anything else, and jinja2's own errors for a broken format."""
from __future__ import annotations

import pytest

import tracker.render as render_module
from tracker.config import load_config
from tracker.errors import TemplateError
from tracker.model import CallRecord, Person
from tracker.summaries import CandidateNote, _Items, _Setup, _summarize, summarize


pytestmark = pytest.mark.usefixtures("no_user_config")


def rec(call_type, notes="", row=2, **kw) -> CallRecord:
    kw.setdefault("columns", {"notes": "F"})
    return CallRecord(sheet="Calls", row=row, id=str(row - 1), call_type=call_type, notes=notes, **kw)


def _jinja2_only(monkeypatch):
    """No template as Python: what the summaries were before it."""
    monkeypatch.setattr(render_module, "_python", lambda *args: None)


def _no_jinja2(monkeypatch, env):
    """Any render by jinja2 (the render function, or a context made for a template) fails."""
    def jinja2_rendered(*args, **kwargs):
        raise AssertionError("rendered by jinja2")

    monkeypatch.setattr(render_module, "render", jinja2_rendered)
    monkeypatch.setattr(env, "context_class", jinja2_rendered)


ROWS = [
    ("first_call", "Company Name: Acme\nContact Person: Jane Roe\nNext Step: send CVs\nMessenger: Telegram"),
    ("first_call", ""),
    ("interview", "Ivan Petrov (E1) – strong on SQL\nAnna Li (E2): shy {but} good\nInterview results: both"),
    ("interview", "Nothing about anyone"),
    ("repeat_call", "Second interview with the client\nAnna Li (E2): hired"),
    ("repeat_call", "Clarified the dates"),
    ("introductory_call", "Met the team lead; we talk on WhatsApp"),
    ("follow_up", "Asked about the invoice\nNext Step: call back\nSM: Олег"),
    ("interview_notice", "面接は月曜日"),
    ("report_sent", ""),
    ("a_type_of_my_own", "Summary: \\x {{ not a template }}"),
    # lines the format has no place for: shown under "Other notes:"
    ("first_call", "Company Name: Acme\nBudget: {3000}\nThe client was keen."),
    ("interview", "Today we interviewed:\nIvan Petrov (E1) – strong\nInterview results: yes\nNext Step: {contract}"),
    ("follow_up", "Summary: no answer\nResult: declined"),
    ("introductory_call", "Summary: met the team\nNext Step: send the contract"),
]


@pytest.mark.parametrize("lang", ["en", "ru", "zh", "ja"])
def test_the_shipped_summaries_are_rendered_as_python_with_jinja2_s_text(monkeypatch, lang):
    config = load_config()
    records = [rec(ct, notes, row=i + 2, candidates=[Person("Ivan Petrov", "E1")] if i % 2 else [])
               for i, (ct, notes) in enumerate(ROWS)]
    with monkeypatch.context() as m:
        _jinja2_only(m)
        setup = _Setup.of(config)
        expected = [_summarize(r, setup, lang).text for r in records]
    spec = config.section("summaries")
    heading = spec["other_heading"][spec["label_language"][lang]]
    assert sum(heading in text.splitlines() for text in expected) == 5   # the first row's Messenger, and the last four
    setup = _Setup.of(config)
    monkeypatch.setattr(render_module, "_FIXED_FROM", 1)
    _no_jinja2(monkeypatch, render_module.environment(config))
    assert [_summarize(r, setup, lang).text for r in records] == expected



def test_a_big_run_renders_every_row_as_python_from_the_first(monkeypatch):
    """Thousands of rows: no row waits for jinja2 while its format is still being tried."""
    import tracker.summaries as summaries_module

    config = load_config()
    n = summaries_module._FORK_FROM
    records = [rec(ct, notes, row=i + 2) for i in range(n) for ct, notes in [ROWS[i % len(ROWS)]]]
    with monkeypatch.context() as m:
        _jinja2_only(m)
        expected = [_summarize(r, _Setup.of(config), "en").text for r in records[:len(ROWS)]]
    monkeypatch.setattr(summaries_module, "_may_fork", lambda rows: False)   # every row in this process
    _no_jinja2(monkeypatch, render_module.environment(config))
    summaries, _ = summaries_module.summaries_started(records, config, "en").result()
    assert [s.text for s in summaries] == expected * (n // len(ROWS)) + expected[:n % len(ROWS)]
MINE = """\
{# every statement and expression the Python form knows #}
{{ title }} {{ "{braces}" }} {{ none }} {{ true }} {{ 1 }} {{ 1.5 }} \\n {literal} \\{x}
{% if v.a and not v.b %}
a, not b: {{ v.a }}
{% elif v.b or v.c %}
b or c: {{ v.b or v.c }}
{% else %}
neither: {{ v.a or v.b or gap }}
{% endif %}
{% for c in candidates %}
{{ c.person }} – {{ c.text or gap }}{% for c in c.text %}[{{ c }}]{% endfor %} {{ c.person.name }}
{% include "summaries/_line.txt.j2" %}
{% else %}
no candidates: {{ c }}
{% endfor %}
{% for a in actions %}
{{ checkbox }} {{ a }}
{% endfor %}
{{ c }}
"""

LINE = "line for {{ c.person }}: {{ title }}\n"


def _mine(tmp_path, body=MINE, name="report_sent"):
    folder = tmp_path / "summaries"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt.j2").write_text(body, encoding="utf-8")
    (folder / "_line.txt.j2").write_text(LINE, encoding="utf-8")
    return load_config(overrides={"templates_dir": str(tmp_path)})


CONTEXTS = [
    dict(v=_Items({"a": "A", "b": "", "c": None}), candidates=[], c="outer"),
    dict(v=_Items({"a": "", "b": None, "c": "Ц"}), candidates=[CandidateNote(Person("Анна", "E2"), "")], c=0),
    dict(v=_Items({"a": "", "b": "", "c": ""}), c=None,
         candidates=[CandidateNote(Person("李"), "好"), CandidateNote(Person("Ann", "7"), "ok {x}")]),
    dict(v=_Items({"a": None, "b": 0, "c": []}), candidates=(), c=""),
]


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_format_of_mine_renders_as_jinja2_renders_it(tmp_path, monkeypatch, context):
    config = _mine(tmp_path)
    fixed = dict(title="Tïtle", gap="—", checkbox="☐", actions=["x", "y {z}"])
    context = dict(fixed, **context)
    expected = render_module.render(config, "summaries/report_sent", "en", **context)
    assert "line for" in expected or "no candidates" in expected
    monkeypatch.setattr(render_module, "_FIXED_FROM", 2)
    fast = render_module.renderer(config, "summaries/report_sent", "en", fixed=fixed)
    assert fast(context) == expected   # by jinja2
    _no_jinja2(monkeypatch, render_module.environment(config))
    assert fast(context) == expected   # as Python, the fixed words written in
    assert fast(context) == expected
    unfixed = render_module.renderer(config, "summaries/report_sent", "en")
    monkeypatch.setattr(render_module, "_FIXED_FROM", 1)
    assert unfixed(context) == expected   # as Python, every name read from the context


def test_an_item_that_is_no_attribute_is_left_to_jinja2(tmp_path, monkeypatch):
    config = _mine(tmp_path)
    context = dict(CONTEXTS[0], v={"a": "A", "b": "", "c": None}, title="T", gap="-", checkbox="*", actions=[])
    expected = render_module.render(config, "summaries/report_sent", "en", **context)
    monkeypatch.setattr(render_module, "_FIXED_FROM", 1)
    fast = render_module.renderer(config, "summaries/report_sent", "en")
    monkeypatch.setattr(render_module, "render", None)   # jinja2's template, not a second try
    assert fast(context) == expected == "T {braces} None True 1 1.5 \\n {literal} \\{x}\na, not b: A\n" \
        "no candidates: outer\nouter"


@pytest.mark.parametrize("body", [
    "{{ v.a | upper }}\n",
    "{% set x = v.a %}{{ x }}\n",
    "{{ v['a'] }}\n",
    "{% for c in candidates %}{{ loop.index }}{% endfor %}{{ v.a }}\n",
    "{% for k, t in pairs %}{{ k }}{{ t }}{% endfor %}\n",
    "{{ v.a ~ v.b }}{{ v.a if v.b else v.c }}{{ v.a == v.b }}\n",
    '{% include "summaries/_set.txt.j2" %}\n',
])
def test_a_format_beyond_those_statements_is_rendered_by_jinja2(tmp_path, monkeypatch, body):
    config = _mine(tmp_path, body)
    (tmp_path / "summaries" / "_set.txt.j2").write_text("{% set x = 1 %}{{ x }}\n", encoding="utf-8")
    env = render_module.environment(config)
    template, tree = render_module._inlined(env, render_module._load(env, "summaries/report_sent", "en", "txt"))
    assert render_module._python(env, tree, template.globals) is None
    context = dict(v=_Items({"a": "a", "b": "b", "c": "c"}), candidates=[1, 2], pairs=[("k", "t")])
    monkeypatch.setattr(render_module, "_FIXED_FROM", 1)
    fast = render_module.renderer(config, "summaries/report_sent", "en", fixed=dict(pairs=[("k", "t")]))
    assert fast(context) == render_module.render(config, "summaries/report_sent", "en", **context) != ""


@pytest.mark.parametrize("body, error", [
    ("{{ v.summary }}\n{{ nobody_set_this }}\n",
     r"report_sent\.txt\.j2:2: template error: 'nobody_set_this' is undefined"),
    ("{{ L.summary }}\n\n{% if v.no_such_item %}x{% endif %}\n",
     r"report_sent\.txt\.j2:3: template error: .* has no attribute 'no_such_item'"),
    ("{% for c in candidates %}{{ c.nothing }}{% endfor %}{{ L.summary }}\n", None),
])
def test_an_undefined_name_in_a_format_of_mine_is_told_as_jinja2_tells_it(tmp_path, monkeypatch, body, error):
    config = _mine(tmp_path, body)
    monkeypatch.setattr(render_module, "_FIXED_FROM", 1)
    env = render_module.environment(config)
    template, tree = render_module._inlined(env, render_module._load(env, "summaries/report_sent", "en", "txt"))
    assert render_module._python(env, tree, template.globals) is not None
    if error is None:   # no candidates in a report: no error at all
        assert summarize(rec("report_sent", "Sent"), config).text == "Summary:"
        return
    with pytest.raises(TemplateError, match=error) as told:
        summarize(rec("report_sent", "Sent"), config)
    with monkeypatch.context() as m:
        _jinja2_only(m)
        with pytest.raises(TemplateError) as before:
            summarize(rec("report_sent", "Sent"), config)
    assert str(told.value) == str(before.value)


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_context_may_leave_out_the_fixed_values(tmp_path, monkeypatch, context):
    # Summaries pass each row's own values only: the fixed words are the renderer's.
    config = _mine(tmp_path)
    fixed = dict(title="Tïtle", gap="—", checkbox="☐", actions=["x", "y {z}"])
    expected = render_module.render(config, "summaries/report_sent", "en", **fixed, **context)
    monkeypatch.setattr(render_module, "_FIXED_FROM", 2)
    fast = render_module.renderer(config, "summaries/report_sent", "en", fixed=fixed)
    assert fast(dict(context)) == expected   # by jinja2
    _no_jinja2(monkeypatch, render_module.environment(config))
    assert fast(dict(context)) == expected   # as Python
