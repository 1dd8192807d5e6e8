#!/usr/bin/env python3
"""Write a realistic call log of N rows for the benchmark (bench/run.py).

    python bench/generate.py --rows 100000 --out bench/data/log-100k.xlsx

One sheet "Calls", a header row with the English headers of tracker/defaults/columns.yaml
and one row per call, made of threads of calls (first call, report sent, interview
notice, interview, chases, repeat call, introductory call...) as in the bundled sample
(workbook/sample_data.yaml: its clients, candidates, phrases, blurbs and reminder
phrases), over many more synthetic companies, contacts and candidates, and a team of
managers. Mixed into it, as real logs are:

* dates as real date cells over the two years before --end (default 2026-11-22), a few
  weeks of planned calls after it, ~1% blank, ~3% typed as text (22.11.2026,
  2026/11/22, 2026年11月22日);
* times as time cells, some typed as text ("14:30"), some blank;
* outcomes, channels, sources and stages as the labels of lists.yaml in the row's
  language, some as canonical ids or the other words people type;
* notes in en/ru/zh/ja of 100-400 characters, first-call and notice notes as
  "Key: value" lines (seed 002 / seed 004 formats), interview notes with one line per
  candidate;
* "whom to remind" phrases on rows of call types that have reminders;
* next-contact cells: date, date-time, "keep in touch by email" or blank.

The output is the same for the same --seed and --rows (file properties are fixed too).
Strings go to the shared-strings table as Excel writes them; --constant-memory writes
them inline instead (xlsxwriter's constant_memory mode: lower memory, not Excel-like).
Reads only YAML files of the repository: it does not import the tracker package.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time as _time
from datetime import date, datetime, time, timedelta
from pathlib import Path

try:
    import xlsxwriter
except ImportError:   # a bench run from the plain install: say what to install, no traceback
    sys.exit("bench: the logs are written with xlsxwriter, which the test extra installs: "
             ".venv/bin/pip install -e '.[test]' (see bench/README.md)")
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = ROOT / "tracker" / "defaults"
SAMPLE = ROOT / "workbook" / "sample_data.yaml"

FIELDS = ["date", "time", "call_type", "client", "contact", "candidates", "position", "channel",
          "source", "stage", "outcome", "next_contact", "manager", "notes", "remind"]
LANGS = ["en", "ru", "zh", "ja"]
LANG_WEIGHTS = [0.35, 0.30, 0.20, 0.15]

# Synthetic name parts, so a big log has thousands of companies and people.
COMPANY = {
    "en": (["Bright", "North", "Blue", "Silver", "Oak", "Harbour", "Summit", "Clear", "Red", "Green",
            "Swift", "Iron", "Cedar", "Maple", "Falcon", "Atlas", "Nova", "Pioneer", "Crest", "Lumen"],
           ["line", "wind", "stone", "field", "bridge", "gate", "path", "point", "wave", "works"],
           ["Analytics Ltd", "Health Inc.", "Logistics LLC", "Software Ltd", "Digital", "Labs",
            "Retail Group", "Consulting", "Systems Inc.", "Media"]),
    "ru": (["Север", "Восток", "Ромашка", "Альфа", "Вектор", "Кедр", "Сфера", "Гранит", "Орбита", "Волна",
            "Меридиан", "Лотос", "Сириус", "Байкал", "Ладога", "Техно", "Инфо", "Мега", "Спектр", "Энерго"],
           ["Софт", "Диджитал", "Логистик", "Строй", "Торг", "Сервис", "Медиа", "Системс", "Лаб", "Групп"],
           ["ООО «{}»", "АО «{}»", "{}", "ГК «{}»"]),
    "zh": (["上海", "深圳", "杭州", "北京", "广州", "成都", "南京", "苏州", "武汉", "西安"],
           ["云帆", "星河", "青禾", "华信", "锦程", "博远", "天成", "恒达", "瑞丰", "宏图", "新锐", "远航"],
           ["科技有限公司", "电子商务有限公司", "教育科技", "信息技术有限公司", "网络科技有限公司", "贸易有限公司"]),
    "ja": (["サクラ", "ミドリ", "浪速", "富士", "青空", "ひかり", "みらい", "大和", "北斗", "若葉",
            "港", "銀河", "朝日", "東海", "瀬戸"],
           ["デザイン", "ロボティクス", "食品", "システム", "ソリューションズ", "テック", "物流", "メディア"],
           ["株式会社{}", "{}株式会社", "合同会社{}"]),
}
PEOPLE = {
    "en": (["James", "Sarah", "Olivia", "Michael", "Emily", "Daniel", "Grace", "Ryan", "Chloe", "Ethan",
            "Hannah", "Lucas", "Sophie", "Jack", "Amelia", "Noah", "Isla", "Leo", "Mia", "Oscar"],
           ["Carter", "Mitchell", "Nguyen", "Brown", "Davis", "Wilson", "Taylor", "Thompson", "Martin",
            "Clark", "Lewis", "Walker", "Scott", "Hughes", "Patel", "Evans", "Wright", "Green"]),
    "ru": (["Игорь", "Ольга", "Виктор", "Алексей", "Мария", "Дмитрий", "Екатерина", "Сергей", "Анастасия",
            "Павел", "Юлия", "Никита", "Ирина", "Андрей", "Татьяна", "Максим", "Елена", "Роман"],
           ["Смирнов", "Кузнецова", "Андреев", "Иванов", "Соколова", "Волков", "Морозова", "Новиков",
            "Лебедева", "Козлов", "Орлова", "Белов", "Фролова", "Павлов", "Егорова", "Зайцев"]),
    "zh": (["陈", "刘", "何", "张", "李", "王", "赵", "孙", "周", "吴", "郑", "黄", "林", "杨", "徐"],
           ["静", "洋", "敏", "伟", "娜", "磊", "婷", "杰", "雪", "俊", "芳", "涛", "颖", "强", "丽"]),
    "ja": (["佐藤", "山本", "木村", "鈴木", "高橋", "伊藤", "渡辺", "中村", "小林", "加藤", "山田", "松本", "井上"],
           ["美咲", "大輔", "直樹", "翔太", "あゆみ", "大樹", "さくら", "健", "美穂", "拓也", "花子", "亮", "真央"]),
}
EXTRA_MANAGERS = [
    ("Anna Petrova", "ru"), ("王芳", "zh"), ("田中健二", "ja"), ("Mark Evans", "en"), ("Елена Павлова", "ru"),
    ("李强", "zh"), ("鈴木一郎", "ja"), ("Laura Hughes", "en"), ("Дмитрий Егоров", "ru"), ("Tom Baker", "en"),
    ("徐丽", "zh"), ("中島由美", "ja"),
]
TEXT_DATE = ["%d.%m.%Y", "%Y/%m/%d", "%Y年%m月%d日"]
# Slips people make (~0.15% of dates, ~0.2% of outcomes), so `check` has something to list.
TYPOS = {"date": ["31.02.2026", "32.11.2025", "2026/13/05", "вчера", "next Tue"],
         "outcome": ["Done?", "Состоялсяя", "ok", "待定", "保留中"]}
SEP = {"en": "; ", "ru": "; ", "zh": "；", "ja": "、"}


def _script_fits(word: str, lang: str) -> bool:
    """A word a consultant writing in `lang` would type (no hanzi in Russian, no Cyrillic in Chinese)."""
    cjk = any("\u3040" <= ch <= "\u9fff" for ch in word)
    cyr = any("\u0400" <= ch <= "\u04ff" for ch in word)
    if lang == "en":
        return not cjk and not cyr
    if lang == "ru":
        return not cjk
    return not cyr


def load_yaml(path: Path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class Vocabulary:
    def __init__(self) -> None:
        self.sample = load_yaml(SAMPLE)
        self.columns = load_yaml(DEFAULTS / "columns.yaml")
        self.lists = load_yaml(DEFAULTS / "lists.yaml")["lists"]
        self.call_types = load_yaml(DEFAULTS / "call_types.yaml")["call_types"]
        self.headers = [self.columns["headers"][f]["en"] for f in FIELDS]
        # The data depend on these files: their digest goes into the workbook's properties.
        h = hashlib.sha256()
        for path in (SAMPLE, DEFAULTS / "columns.yaml", DEFAULTS / "lists.yaml", DEFAULTS / "call_types.yaml"):
            h.update(path.read_bytes())
        self.digest = h.hexdigest()[:12]

    def list_label(self, name: str, value: str, lang: str, rng: random.Random) -> str:
        spec = self.lists[name][value]
        r = rng.random()
        if r < 0.04:
            return value                      # canonical id typed by hand
        if r < 0.08:
            words = [w for w in spec.get("also", []) if _script_fits(w, lang)]
            if words:
                return rng.choice(words)      # another word people type
        return spec.get(lang) or spec["en"]

    def call_type_label(self, cid: str, lang: str, rng: random.Random) -> str:
        spec = self.call_types[cid]
        if rng.random() < 0.05:
            words = [w for w in spec.get("also", []) if _script_fits(w, lang)]
            if words:
                return rng.choice(words)
        return spec["labels"].get(lang) or spec["labels"]["en"]


class Generator:
    def __init__(self, seed: int, end: date) -> None:
        self.rng = random.Random(seed)
        self.v = Vocabulary()
        self.end = end
        self.start = end - timedelta(days=730)
        self.next_candidate_id = 101
        s = self.v.sample
        self.stories = s["stories"]
        self.story_names = list(self.stories)
        # Thread mix: more short, everyday threads than full hires.
        self.story_weights = [{"hired": 3, "rejected": 3, "ghosted_candidate": 2, "client_ghosted": 2,
                               "no_show": 2, "cancelled_round2": 1, "stalled": 3, "due_today": 2,
                               "prospect": 3}.get(n, 1) for n in self.story_names]
        self.managers = [(m, lang) for m, lang in EXTRA_MANAGERS]
        self.clients = self._clients(400)

    # ------------------------------------------------------------ people and companies

    def _person(self, lang: str) -> str:
        first, last = PEOPLE[lang]
        a, b = self.rng.choice(first), self.rng.choice(last)
        if lang == "en":
            return f"{a} {b}"
        if lang == "ru":
            male = a in ("Игорь", "Виктор", "Алексей", "Дмитрий", "Сергей", "Павел", "Никита", "Андрей",
                         "Максим", "Роман")
            if male and b.endswith("а"):
                b = b[:-1]
            elif not male and not b.endswith("а"):
                b = b + "а"
            return f"{a} {b}"
        return a + b

    def _company(self, lang: str) -> str:
        a, b, c = COMPANY[lang]
        x, y, z = self.rng.choice(a), self.rng.choice(b), self.rng.choice(c)
        if lang == "en":
            return f"{x}{y} {z}"
        if lang == "ru":
            return z.format(f"{x}{y}")
        if lang == "zh":
            return f"{x}{y}{z}"
        return z.format(f"{x}{y}")

    def _clients(self, n: int) -> list[dict]:
        s = self.v.sample
        base = s["clients"] + s["prospects"]
        out = []
        for c in base:
            out.append(dict(c))
        by_lang = {lang: [c for c in base if c["lang"] == lang] for lang in LANGS}
        while len(out) < n:
            lang = self.rng.choices(LANGS, LANG_WEIGHTS)[0]
            model = self.rng.choice(by_lang[lang])
            c = dict(model)
            c["name"] = self._company(lang)
            c["contact"] = self._person(lang)
            c["website"] = f"client{len(out)}.example"
            c["source"] = self.rng.choice(list(self.v.lists["source"]))
            out.append(c)
        return out

    def _candidates(self, lang: str, n: int) -> list[str]:
        pool = self.v.sample["candidates"][lang]
        out = []
        for _ in range(n):
            name = self.rng.choice(pool) if self.rng.random() < 0.5 else self._person(lang)
            out.append(f"{name} (E{self.next_candidate_id})")
            self.next_candidate_id += 1
        return out

    # ------------------------------------------------------------ notes

    def _fill(self, text: str, ctx: dict) -> str:
        try:
            return text.format(**ctx)
        except (KeyError, IndexError, ValueError):
            return text

    def _note(self, step: dict, lang: str, ctx: dict, client: dict, when: date) -> str:
        s = self.v.sample
        kind = step.get("note", "")
        rng = self.rng
        if kind == "first_call":
            values = [client["name"], client["website"], client["contact"], client["product"],
                      client["specialties"], client["country"], client["audience"], client["immediate"],
                      client["future"], client["next_step"],
                      (when + timedelta(days=rng.randint(2, 9))).strftime(s["note_date"][lang]),
                      ctx["manager"]]
            lines = [f"{k}: {v}" for k, v in zip(s["first_call_keys"], values)]
            text = "\n".join(lines)
            while len(text) > 400 and len(lines) > 4:
                del lines[-2]            # drop optional items, keep "SM:" last
                text = "\n".join(lines)
        elif kind == "notice":
            keys = s["notice_keys"][lang]
            pos = ctx["_position"]
            values = [when.strftime(s["note_date"][lang]) + f" {rng.randint(10, 17)}:00", client["address"],
                      client["route"], client["contact"], pos["title"], pos["duties"], pos["salary"],
                      client["location"], client["name"], client["website"]]
            pairs = list(zip(keys, values))
            if rng.random() < 0.25:     # people forget items
                for _ in range(rng.randint(1, 3)):
                    pairs.pop(rng.randrange(len(pairs)))
            lines = [f"{k}: {v}" for k, v in pairs]
            while len("\n".join(lines)) > 400 and len(lines) > 4:
                lines.pop(rng.randrange(len(lines)))
            text = "\n".join(lines)
        elif kind == "interview":
            head = {"en": "Today we interviewed:", "ru": "Сегодня провели интервью:",
                    "zh": "今天面试了：", "ja": "本日の面接："}[lang]
            res = {"en": "Interview results:", "ru": "Итоги интервью:", "zh": "面试结果：", "ja": "面接結果："}[lang]
            lines = [head]
            for cand in ctx["_candidates"][:3]:
                lines.append(f"{cand} – {rng.choice(s['blurbs'][lang])}")
            result = {"liked": "results_liked", "none": "results_none",
                      "pending": "results_pending"}.get(step.get("result", "liked"), "results_liked")
            lines.append(f"{res} {self._fill(s['phrases'][result][lang], ctx)}")
            lines.append(f"SM: {ctx['manager']}")
            text = "\n".join(lines)
            while len(text) > 400 and len(lines) > 3:
                del lines[-3]
                text = "\n".join(lines)
        else:
            phrase = s["phrases"].get(kind, {}).get(lang) or s["phrases"]["new_vacancy"][lang]
            text = self._fill(phrase, ctx)
        # Pad short notes to a realistic length with what consultants add.
        extras = [s["phrases"]["agenda_first_call"][lang], self._fill(s["phrases"]["new_vacancy"][lang], ctx),
                  *s["blurbs"][lang]]
        target = rng.choice((100, 100, 150, 200, 250, 300))   # some write little, some a lot
        while len(text) < target:
            text = text + "\n" + rng.choice(extras)
        if len(text) > 400:
            text = text[:399].rstrip() + "…"
        return text

    # ------------------------------------------------------------ rows

    def _thread(self) -> list[tuple]:
        rng = self.rng
        story_name = rng.choices(self.story_names, self.story_weights)[0]
        story = self.stories[story_name]
        client = rng.choice(self.clients)
        lang = client["lang"]
        same_lang = [m for m in self.managers if m[1] == lang] or self.managers
        manager = rng.choice(same_lang)[0] if rng.random() < 0.85 else rng.choice(self.managers)[0]
        candidates = self._candidates(lang, story.get("candidates", 0))
        position = rng.choice(client["positions"])
        first = client["contact"].split()[0] if lang in ("en", "ru") else client["contact"]
        ctx = {"client": client["name"], "contact": client["contact"], "first": first,
               "position": position["title"], "candidate": candidates[0].split(" (")[0] if candidates else "",
               "candidates": SEP[lang].join(candidates), "manager": manager,
               "messenger": client.get("messenger", "E-mail"), "website": client["website"],
               "_position": position, "_candidates": candidates}
        span = (self.end - self.start).days
        start = self.start + timedelta(days=rng.randint(0, span + 20))
        steps = story["steps"]
        rows = []
        hour = rng.randint(9, 17)
        for i, step in enumerate(steps):
            when = start + timedelta(days=step["day"])
            planned = when > self.end
            ctx["date"] = (when + timedelta(days=3)).strftime(self.v.sample["note_date"][lang])
            who = step.get("with")
            people = candidates if who == "each" else [None]
            for person in people or [None]:
                rows.append(self._row(step, steps[i + 1] if i + 1 < len(steps) else None, start, when,
                                      hour, lang, client, manager, candidates, person, position, ctx, planned))
            if planned:
                break
        return rows

    def _row(self, step, nxt, start, when, hour, lang, client, manager, candidates, person, position,
             ctx, planned) -> tuple:
        rng, v = self.rng, self.v
        if person is not None:
            ctx = dict(ctx, candidate=person.split(" (")[0])
        who = step.get("with")
        if step["type"] == "report_sent":
            who = "interview"            # the report names the candidates sent
        cands = {"client": "", "candidate": candidates[:1], "each": [person] if person else [],
                 "interview": candidates}.get(who, "")
        cands_text = SEP[lang].join(cands) if cands else ""
        # Date: a real date cell, sometimes blank or typed as text.
        r = rng.random()
        if r < 0.01:
            date_cell = None
        elif r < 0.0115:
            date_cell = rng.choice(TYPOS["date"])   # a slip `check` must report
        elif r < 0.04:
            date_cell = when.strftime(rng.choice(TEXT_DATE))
        else:
            date_cell = when
        # Time: a time cell, sometimes text, sometimes blank.
        minute = rng.choice((0, 0, 15, 30, 45))
        t = time(min(hour + step["day"] % 3, 19), minute)
        r = rng.random()
        time_cell = None if r < 0.08 else (t.strftime("%H:%M") if r < 0.15 else t)
        outcome = "planned" if planned else step.get("outcome", "done")
        outcome_cell = v.list_label("outcome", outcome, lang, rng)
        if rng.random() < 0.002:
            outcome_cell = rng.choice(TYPOS["outcome"])
        # Next contact.
        nc = None
        if step.get("keep_in_touch"):
            nc = v.sample["phrases"]["keep_in_touch"][lang]
        elif step.get("promise"):
            nc = when + timedelta(days=step["promise"])
        elif step.get("book") and nxt is not None:
            d = start + timedelta(days=nxt["day"])
            nc = datetime.combine(d, time(rng.randint(9, 17), rng.choice((0, 30)))) if rng.random() < 0.4 else d
        remind = ""
        if step.get("remind") and step["type"] in v.sample["remind"]:
            remind = v.sample["remind"][step["type"]][lang]
        note = self._note(step, lang, ctx, client, when)
        contact = client["contact"] if who in ("client", "interview") else (person or (candidates[0] if candidates else client["contact"])).split(" (")[0]
        return (when, date_cell, time_cell, v.call_type_label(step["type"], lang, rng), client["name"], contact,
                cands_text, position["title"], v.list_label("channel", step.get("channel", "phone"), lang, rng),
                v.list_label("source", client.get("source", "other"), lang, rng),
                v.list_label("stage", step.get("stage", "first_contact"), lang, rng),
                outcome_cell, nc, manager, note, remind)

    def rows(self, n: int) -> list[tuple]:
        out: list[tuple] = []
        while len(out) < n:
            out.extend(self._thread())
        out = out[:n] if len(out) > n else out
        out.sort(key=lambda r: r[0])      # a log is written in call order
        return out


def write(rows: list[tuple], headers: list[str], out: Path, constant_memory: bool, comment: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": constant_memory, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": "Call log (benchmark)", "author": "bench/generate.py", "comments": comment,
                       "created": datetime(2026, 1, 1)})
    ws = wb.add_worksheet("Calls")
    bold = wb.add_format({"bold": True})
    dfmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    dtfmt = wb.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    tfmt = wb.add_format({"num_format": "hh:mm"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    widths = [11, 7, 18, 30, 20, 36, 28, 12, 12, 14, 12, 16, 16, 60, 40]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w, wrap if i == 13 else None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(headers) - 1)
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, bold)
    ws_string, ws_dt = ws.write_string, ws.write_datetime
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row[1:]):
            if value is None or value == "":
                continue
            cls = value.__class__
            if cls is str:
                ws_string(r, c, value, wrap if c == 13 else None)
            elif cls is date:
                ws_dt(r, c, value, dfmt)
            elif cls is datetime:
                ws_dt(r, c, value, dtfmt)
            elif cls is time:
                ws_dt(r, c, value, tfmt)
            else:
                ws.write(r, c, value)
    wb.close()
    os.replace(tmp, out)


def parse_rows(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    mult = 1
    if t.endswith("k"):
        mult, t = 1000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    return int(float(t) * mult)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", required=True, type=parse_rows, help="number of call rows (1000, 10k, 100k)")
    ap.add_argument("--out", required=True, type=Path, help="the .xlsx to write")
    ap.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    ap.add_argument("--end", default="2026-11-22",
                    help="last day of the two logged years; the benchmark's --as-of (default 2026-11-22)")
    ap.add_argument("--constant-memory", action="store_true",
                    help="xlsxwriter constant_memory mode (inline strings instead of shared strings)")
    args = ap.parse_args(argv)
    t0 = _time.perf_counter()
    gen = Generator(args.seed, date.fromisoformat(args.end))
    rows = gen.rows(args.rows)
    t1 = _time.perf_counter()
    comment = f"seed {args.seed}, {len(rows)} rows, end {args.end}, vocabulary {gen.v.digest}"
    write(rows, gen.v.headers, args.out, args.constant_memory, comment)
    t2 = _time.perf_counter()
    print(f"{args.out}: {len(rows)} rows, {args.out.stat().st_size / 1e6:.1f} MB "
          f"(rows {t1 - t0:.1f} s, xlsx {t2 - t1:.1f} s; {comment})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
