"""The row's people written with an honorific in the "whom to remind" column (田中くん,
王伟先生, 李娜女士): the honorifics are summaries.yaml's `name_honorifics`, the one list
of them, read through the real reader and the terminal (reminders --format json, check)."""
from test_phrase_whom_g import _check, _log, _reminders

JA = "田中 (E1); 鈴木 (E2)"
ZH = "李娜 (E1); 王伟 (E2)"


def _named(got, row):
    return {(at, role, people, source) for at, role, people, _, source in got[row]}


def test_t_names_listed_with_any_honorific_are_all_reminded(tmp_path):
    # "田中くんと鈴木くんに1時間前" reminded 鈴木 only, silently: くん, 君 and 、 between two
    # names were no list. With 先生 or 女士 nothing was read at all (the call type's
    # defaults, and check: "cannot read"). Each now reminds both, 1 hour before.
    rows = [
        (JA, "田中さんと鈴木さんに1時間前"),
        (JA, "田中くんと鈴木くんに1時間前"),
        (JA, "田中君と鈴木君に1時間前"),
        (JA, "田中先生と鈴木先生に1時間前"),
        (JA, "田中様と鈴木様に1時間前"),
        (JA, "田中くん、鈴木くんに1時間前"),
        (ZH, "李娜女士和王伟先生提前1小时"),
        (ZH, "提前1小时提醒李娜女士和王伟先生"),
        (ZH, "李娜女士、王伟先生提前1小时"),
        (ZH, "提前1小时提醒王伟君和李娜女士"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, r = _reminders(path)
    for row in range(2, 2 + len(rows)):
        names = ("田中", "鈴木") if row < 8 else ("王伟", "李娜") if row == 11 else ("李娜", "王伟")
        assert _named(got, row) == {(f"12-08T{6 + row:02d}:00", "named", names, "row")}, (row, got[row])
    assert "could not be read" not in r.stderr, r.stderr
    checked = _check(path)
    assert checked.exit_code == 0, checked.output


def test_t_a_name_alone_with_its_honorific_is_reminded(tmp_path):
    # "鈴木先生に1時間前" and "王伟先生提前1小时" were not read (先生 stood between the name
    # and its に or its time); "鈴木くんに" and "提醒王伟先生" were, and still are. A name
    # with its honorific listed with a role word reminds both.
    rows = [
        (JA, "鈴木くんに1時間前"),
        (JA, "鈴木先生に1時間前"),
        (JA, "鈴木様に1時間前"),
        (ZH, "王伟先生提前1小时"),
        (ZH, "提前1小时提醒王伟先生"),
        (ZH, "李娜女士提前1小时"),
    ]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    for row, name in ((2, "鈴木"), (3, "鈴木"), (4, "鈴木"), (5, "王伟"), (6, "王伟"), (7, "李娜")):
        assert _named(got, row) == {(f"12-08T{6 + row:02d}:00", "named", (name,), "row")}, (row, got[row])
    checked = _check(path)
    assert checked.exit_code == 0, checked.output


def test_t_a_name_with_its_honorific_beside_a_role_word_is_reminded_with_it(tmp_path):
    # "田中くんとクライアント": くん hid the role word after the name, and 田中 was lost.
    rows = [(JA, "田中くんとクライアントに1時間前"), (ZH, "王伟先生和客户提前1小时")]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    for row, name in ((2, "田中"), (3, "王伟")):
        assert _named(got, row) == {(f"12-08T{6 + row:02d}:00", "named", (name,), "row"),
                                    (f"12-08T{6 + row:02d}:00", "client", (f"Ct{row - 2}",), "row")}, got[row]


def test_t_an_honorific_added_in_tracker_yaml_counts_in_phrases_too(tmp_path):
    # The list is the notes' own, extended by the user's tracker.yaml: ちゃん added there
    # lists two names in a phrase as well. Without it, ちゃん is no honorific: the phrase is
    # not read, and the call has its call type's default reminders.
    rows = [(JA, "田中ちゃんと鈴木ちゃんに1時間前")]
    path = _log(tmp_path, "Interview", rows)
    got, _ = _reminders(path)
    assert {source for *_, source in got[2]} == {"call_type"}, got[2]
    (tmp_path / "tracker.yaml").write_text('summaries:\n  name_honorifics: ["ちゃん"]\n', encoding="utf-8")
    got, _ = _reminders(path)
    assert _named(got, 2) == {("12-08T08:00", "named", ("田中", "鈴木"), "row")}, got[2]
