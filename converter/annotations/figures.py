"""Key figures: the numbers a report gives for its work, in categories a researcher compares.

Precision over recall: a wrong figure is worse than a missing one. A figure is
taken only from a clause (the text between two of ，；。：、 and line ends) that
names its category before the number, with a unit the category counts in,
right after the number. A clause is passed over when it speaks of another
time or of a change rather than a level: a year other than the report's,
cumulative totals (累计, 以来, 历年), comparisons (同比, 上年, 增长, 下降) and
percentage points. Chinese numerals are read by ``cn2an`` (``numerals``); 余, 多, 近, 约,
以上, 左右 and 万 make a figure approximate.

Each figure is an annotation of kind ``figure`` over its clause; its body keeps
the category, the label as written, the value, the unit, whether it is
approximate, and the sentence it came from with its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import numerals
from .model import Anchor, Annotation

# (id, name, words the clause must hold before the number, units it counts in). Order matters: the first
# category whose words a clause holds takes it, so narrower ones (rates, lost cases) come first.
CATEGORIES = (
    ("xinfang-rate", "信访办结（化解）率", r"(信访|来访|来信).*(办结|结案|化解|按期办结|答复)率|^(办结|结案|化解)率", "%"),
    ("tiaojie-rate", "矛盾纠纷调解成功率", r"调(解|处)成功率", "%"),
    ("xinfang", "信访受理", r"接待来访|受理信访|处理信访|信访(案)?件|来信来访|网上信访|信访事项|接访", "件|起|批次|人次|批"),
    ("tiaojie", "矛盾纠纷调解", r"(调解|化解|调处|排查).{0,8}(纠纷|矛盾)|(纠纷|矛盾).{0,8}(调解|化解|调处)", "件|起"),
    ("susong-lost", "行政诉讼败诉", r"败诉", "件|起"),
    ("fuyi", "行政复议案件", r"行政复议", "件|起"),
    ("susong", "行政诉讼案件", r"行政诉讼|行政应诉", "件|起"),
    ("review", "合法性审查", r"(审查|审核|把关).{0,12}(合同|协议|规范性文件|文件|决策|发文)|合法性审查|"
     r"(合同|协议|文件).{0,6}(审查|审核)", "件|份|次|个"),
    ("adviser", "法律顾问意见", r"法律(意见|建议)|法律顾问.{0,10}(出具|提供|审查)", "条|份|次|件"),
    ("enforcement", "行政执法案件", r"(查处|立案).{0,12}案|(办理|办结|受理).{0,10}(执法|处罚|违法).{0,6}案|"
     r"行政处罚案件|执法案件", "件|起"),
    ("penalty", "罚没款", r"罚款|罚没", "万元|元"),
    ("xuefa", "领导干部学法", r"学法|中心组.{0,12}学习|学习.{0,12}(法治思想|法律|法规)", "次|场|期"),
    ("training", "法治培训", r"培训", "场|期|次|班|场次"),
    ("trainees", "培训人数", r"参训|培训.{0,10}(干部|人员|执法)", "人|人次|名"),
    ("pufa", "普法宣传活动", r"(普法|法治宣传|法律宣传|宣传教育|法治讲座|送法).{0,12}(活动|讲座|宣讲)?", "场|次|场次|期"),
    ("pufa-materials", "发放普法资料", r"发放.{0,12}(资料|手册|宣传册|宣传单|读本|宣传品|折页)", "份|册|本|张"),
    ("pufa-people", "普法与法律咨询受众", r"(受众|覆盖|参与|受教育|咨询|惠及)", "人|人次"),
    ("gongkai", "主动公开政府信息", r"主动公开.{0,12}信息", "条|件"),
    ("gongkai-requests", "政府信息公开申请", r"信息公开申请", "件"),
)

_NUMBER = r"(?P<number>[0-9]+(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+)"
_BEFORE = r"(?P<before>近|约|共约)?"
_AFTER = r"(?P<scale>万)?(?P<more>余|多)?"
_TAIL = r"(?P<tail>以上|左右|余)?"
# A clause: the text between punctuation that ends a clause, a line end, or 、 (a list's items are clauses too).
_CLAUSE = re.compile(r"[^，,；;。！？!?：:、\n]+")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")
_OTHER_TIME = re.compile(r"累计|历年|以来|至今|近[一二三四五六七八九十两\d]+年|同比|上年|去年|上一年|较.{0,4}年|增长|下降|"
                         r"提高|减少|增加|百分点|环比|比.{0,4}年")
_YEAR = re.compile(r"(?<![0-9])(19|20)[0-9]{2}(?=年)")
APPROX_WORDS = ("余", "多", "近", "约", "以上", "左右", "万")


@dataclass(frozen=True)
class Figure:
    category: str       # a CATEGORIES id
    label: str          # the clause as written, up to the figure's unit
    value: float
    unit: str
    approx: bool
    sentence: str
    sentence_start: int
    sentence_end: int
    label_start: int    # where the label begins in the text

    @property
    def name(self) -> str:
        return CATEGORY_NAMES[self.category]


CATEGORY_NAMES = {c[0]: c[1] for c in CATEGORIES}
# A category whose clause may not name its subject, when the sentence must: "化解率100%" after a count of petitions.
SENTENCE_WORDS = {"xinfang-rate": re.compile(r"信访|来访|来信")}


@lru_cache(maxsize=1)
def _any_count() -> re.Pattern:
    """A number followed by any category's unit: most clauses have none, and need no closer look."""
    units = sorted({u for c in CATEGORIES for u in c[3].split("|")}, key=len, reverse=True)
    return re.compile(_NUMBER + _AFTER + "(" + "|".join(units) + ")")


@lru_cache(maxsize=1)
def _compiled():
    out = []
    for ident, _, words, units in CATEGORIES:
        longest_first = "|".join(sorted(units.split("|"), key=len, reverse=True))  # 人次 before 人
        figure = re.compile(_BEFORE + _NUMBER + _AFTER + f"(?P<unit>{longest_first})" + _TAIL)
        out.append((ident, re.compile(words), figure, re.compile(units)))
    return out


def value_of(number: str) -> float | None:
    """A number as written, in Arabic or Chinese numerals (``cn2an``); None when it is no number."""
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", number):
        return float(number)
    try:
        return float(numerals.value(number))
    except numerals.NoNumber:
        return None


def in_clause(clause: str, sentence: str, year: int | None) -> tuple[str, re.Match] | None:
    """The category and the figure a clause gives, when it gives exactly one that can be trusted."""
    if not _any_count().search(clause) or _OTHER_TIME.search(clause) or any(int(y.group()) != year for y in _YEAR.finditer(clause)):
        return None
    for ident, words, figure, units in _compiled():
        if not units.search(clause):  # its figure would find nothing: most categories, most clauses
            continue
        found = list(figure.finditer(clause))
        if not found:
            continue
        m = found[0]
        said = words.search(clause[:m.start()])
        if said is None or (ident in SENTENCE_WORDS and not SENTENCE_WORDS[ident].search(sentence)):
            continue
        if len(found) > 1:  # two counts in one clause: which is which is a guess
            return None
        return ident, m
    return None


def find(text: str, year: int | None) -> list[Figure]:
    """Every figure ``text`` gives for ``year`` (the year the report is about)."""
    out = []
    count = _any_count()
    for sentence in _SENTENCE.finditer(text):
        # A count holds no clause's punctuation, so a sentence without one has no clause with one: most sentences.
        if not count.search(sentence.group()):
            continue
        for clause in _CLAUSE.finditer(sentence.group()):
            got = in_clause(clause.group(), sentence.group(), year)
            if got is None:
                continue
            ident, m = got
            value = value_of(m.group("number"))
            if value is None or (value == 0 and m.group("unit") != "%"):
                continue
            unit = m.group("unit")
            if m.group("scale"):
                value *= 10000
            if unit == "万元":
                value, unit = value * 10000, "元"
            shown = m.group()
            approx = any(w in shown for w in APPROX_WORDS)
            if unit == "%" and value > 100:
                continue
            label = clause.group()[:m.end()]
            out.append(Figure(ident, label.strip(), value, unit, approx, sentence.group().strip(),
                              sentence.start() + _lead(sentence.group()), sentence.end() - _trail(sentence.group()),
                              sentence.start() + clause.start() + _lead(label)))
    return out


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())


def annotate(text: str, year: int | None) -> list[Annotation]:
    """The figures as annotations over the clause each came from (label), in reading order."""
    out = []
    for n, f in enumerate(find(text, year)):
        start, end = f.label_start, f.label_start + len(f.label)
        out.append(Annotation("figure", start, end, f"f{n}", f, Anchor("exact", start, end)))
    return out
