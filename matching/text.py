"""Chinese-aware text normalisation and analyzers.

Every analyzer first normalises the text with :func:`normalize` (NFKC, so full-width letters,
digits and punctuation become half-width; lower case; punctuation becomes a segment break), then
splits it into *segments* (runs of text between punctuation or spaces).  Inside a segment,
Latin/digit runs such as ``java``, ``c++``, ``5g`` stay whole tokens; Chinese runs are cut into
character n-grams or segmented into words with jieba, depending on the analyzer.  No analyzer
except the ``"sklearn"`` baseline ever emits a token spanning a whole Chinese sentence.

Analyzers (the ``analyzer`` parameter of :class:`matching.Matcher`):

``"sklearn"``
    scikit-learn's default token pattern ``(?u)\\b\\w\\w+\\b`` on lower-cased text: kept only as
    the baseline it is known to be (a whole Chinese clause becomes one token).
``"char12"``, ``"char23"``
    character 1-2 / 2-3 grams of Chinese runs.
``"word"``
    jieba word segmentation (precise mode, private tokenizer with a domain dictionary), minus stop
    words.
``"word+char2"``
    the union of ``"word"`` tokens and character bigrams (bigrams are prefixed with ``"\\x01"`` so
    the two vocabularies never collide).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Callable, Iterable

__all__ = [
    "ANALYZERS",
    "normalize",
    "segments",
    "get_analyzer",
    "words",
    "display_words",
    "canonical_industry",
    "canonical_city",
    "canonical_major",
    "DOMAIN_TERMS",
]

#: Characters that are kept inside a Latin/digit token (c++, c#, .net, node.js).
LATIN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789+#"
_LATIN = r"a-z0-9+#"
_SPLIT = re.compile(r"[^\w+#]+|_+")
#: ``_SPLIT`` for :func:`normalize_lines`: the same, except that newlines are kept.
_SPLIT_LINES = re.compile(r"[^\w+#\n]+|_+")
_RUN = re.compile(rf"[{_LATIN}]+|[^{_LATIN}]+")
#: A Latin/digit run of normalised text (one token for every analyzer).
LATIN_RUN = re.compile(rf"[{_LATIN}]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SKLEARN_TOKEN = re.compile(r"(?u)\b\w\w+\b")

#: Domain terms added to jieba's dictionary so they stay whole words.
DOMAIN_TERMS: tuple[str, ...] = (
    "大数据",
    "云计算",
    "人工智能",
    "机器学习",
    "深度学习",
    "数据分析",
    "数据挖掘",
    "数据治理",
    "数据仓库",
    "数据标注",
    "软件工程",
    "软件测试",
    "后端开发",
    "前端开发",
    "全栈开发",
    "运维",
    "网络安全",
    "信息安全",
    "嵌入式",
    "物联网",
    "电子信息",
    "集成电路",
    "数据中心",
    "算力",
    "新能源汽车",
    "新能源",
    "动力电池",
    "锂电池",
    "电池材料",
    "整车",
    "汽车电子",
    "智能网联",
    "磷化工",
    "现代化工",
    "精细化工",
    "化学工程与工艺",
    "湿法磷酸",
    "磷酸铁锂",
    "化工工艺",
    "铝加工",
    "电解铝",
    "铝及铝加工",
    "氧化铝",
    "冶金工程",
    "材料成型",
    "热处理",
    "健康医药",
    "中药材",
    "中医药",
    "药品注册",
    "药物制剂",
    "临床护理",
    "护理学",
    "护士",
    "生态特色食品",
    "食品质量与安全",
    "食品检测",
    "辣椒",
    "茶叶",
    "酱香",
    "白酒",
    "酿酒",
    "酿造",
    "烟草",
    "优质烟酒",
    "基础能源",
    "煤矿",
    "采矿工程",
    "清洁高效电力",
    "光伏",
    "风电",
    "水电",
    "电力系统",
    "电气工程",
    "变电站",
    "新型建材",
    "装配式建筑",
    "建筑材料",
    "土木工程",
    "工程造价",
    "旅游管理",
    "酒店管理",
    "导游",
    "研学",
    "山地农业",
    "现代山地特色高效农业",
    "农学",
    "园艺",
    "植保",
    "畜牧",
    "电商直播",
    "市场营销",
    "销售代表",
    "客户经理",
    "会计学",
    "财务管理",
    "出纳",
    "审计",
    "税务",
    "小学教育",
    "学前教育",
    "汉语言文学",
    "数学老师",
    "语文老师",
    "英语老师",
    "班主任",
    "特岗教师",
    "先进装备制造",
    "数控",
    "机械设计",
    "机械设计制造及其自动化",
    "自动化",
    "PLC",
    "工业机器人",
    "质量检验",
    "计算机科学与技术",
    "计算机",
    "人力资源",
    "行政专员",
    "康复治疗",
    "药学",
    "临床医学",
    "医学检验",
    "物流管理",
    "供应链",
    "短视频",
    "新媒体运营",
    "文案策划",
)

_STOPWORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 我 你 他 她 们 我们 你们 自己 对 把 被 就 都 也 还 又 很 更 最
    能 会 要 想 希望 可以 能够 一 一个 一些 这 那 这个 那个 之 其 等 中 上 下 里 为 以 于 从 到 给
    让 并 而 但 但是 如果 因为 所以 着 过 地 得 吧 呢 啊 吗 个 位 名 人 岗位 工作 相关 负责 公司
    单位 企业 要求 优先 以上 具有 具备 良好 较强 熟悉 熟练 掌握 了解 能力 经验 年 月 元 及以上
    欢迎 应届 毕业生 应届生 本人 今年 毕业 方面 方向 一定 进行 完成 参与 协助 需要 做 事 好 不
    没有 比较 非常 一直 已经 平时 喜欢 愿意 接受 期望 意向 城市 行业 专业 学历 本科 专科 硕士
    博士 大专 研究生 薪资 工资 待遇 五险一金 包 住 食宿 提供 福利 双休 周末 等等 其他 以及 包括
    主要 日常 各类 各项 相应 有关 对于 通过 根据 按照 进行 能 可 将 已 该 各 每 其中 就业 求职
    找 份 想要 打算 计划 目前 现在 之前 曾经 期间 时候 后 前 内""".split()
)


def normalize(text: str | None) -> str:
    """NFKC-normalise (full-width to half-width), lower-case, and turn punctuation into spaces.

    >>> normalize("ＪＡＶＡ开发，熟悉ＳＱＬ！")
    'java开发 熟悉sql '
    """
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).lower()
    return _SPLIT.sub(" ", t)


def normalize_lines(texts: Iterable[str]) -> str:
    """:func:`normalize` of many texts in one call: line ``i`` (each line ends with a newline) is
    ``normalize(texts[i])``, newlines inside a text becoming spaces as there.

    NFKC and lower-casing never act across a newline, and the punctuation pattern keeps them, so
    joining first gives the same text as normalising each one.
    """
    joined = "\n".join(t.replace("\n", " ") for t in texts) + "\n"
    return _SPLIT_LINES.sub(" ", unicodedata.normalize("NFKC", joined).lower())


def segments(text: str | None) -> list[str]:
    """Split normalised text into punctuation-free segments."""
    return [s for s in normalize(text).split() if s]


def _runs(seg: str) -> list[str]:
    """Split a segment into alternating Latin/digit runs and other (Chinese) runs."""
    return _RUN.findall(seg)


def _is_latin(run: str) -> bool:
    return run[0] in LATIN_CHARS


# --------------------------------------------------------------------------- jieba
_jieba_lock = threading.Lock()
_tokenizer = None


def tokenizer():
    """The private, quietly initialised jieba tokenizer with the domain dictionary (loaded on
    first use, in about 0.6 s)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _jieba_lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            for w in DOMAIN_TERMS:
                tk.add_word(w.lower(), freq=None)
            _tokenizer = tk
    return _tokenizer


@lru_cache(maxsize=1 << 18)
def _cut_segment(seg: str) -> tuple[str, ...]:
    """Segment one normalised segment into words (cached: phrases repeat a lot)."""
    out: list[str] = []
    for run in _runs(seg):
        if _is_latin(run):
            out.append(run)
        else:
            tk = tokenizer()
            out.extend(w for w in tk.cut(run, HMM=True) if w.strip())
    return tuple(out)


def words(text: str | None, *, stop: bool = True) -> list[str]:
    """Word tokens of ``text`` (normalised, jieba-segmented, stop words removed)."""
    out: list[str] = []
    for seg in segments(text):
        for w in _cut_segment(seg):
            if stop and w in _STOPWORDS:
                continue
            out.append(w)
    return out


def display_words(text: str | None) -> dict[str, str]:
    """Map each normalised word of ``text`` to its readable form as written (first occurrence).

    The readable form keeps the original case of Latin words ("Java", "MySQL") and is NFKC
    normalised.  Single Chinese characters and stop words are left out.
    """
    out: dict[str, str] = {}
    if not text:
        return out
    t = unicodedata.normalize("NFKC", text)
    for seg in _SPLIT.sub(" ", t).split():
        low = seg.lower()
        # lower() keeps length for the characters we care about; fall back to lower-case form
        same_len = len(low) == len(seg)
        pos = 0
        for w in _cut_segment(low):
            i = low.find(w, pos)
            if i < 0:
                continue
            pos = i + len(w)
            if w in _STOPWORDS or w in out:
                continue
            if len(w) < 2 and not _is_latin(w):
                continue
            out[w] = seg[i : i + len(w)] if same_len else w
    return out


# --------------------------------------------------------------------------- analyzers
def _char_ngrams(seg: str, lo: int, hi: int, prefix: str = "") -> list[str]:
    out: list[str] = []
    for run in _runs(seg):
        if _is_latin(run):
            out.append(prefix + run)
            continue
        n = len(run)
        for k in range(lo, hi + 1):
            if k == 1 or n >= k:
                for i in range(n - k + 1):
                    g = run[i : i + k]
                    if k == 1 and g in _STOPWORDS:
                        continue
                    out.append(prefix + g)
            if n < lo and k == lo:
                out.append(prefix + run)  # a 1-char run under a 2-3 gram analyzer
    return out


def _an_sklearn(text: str) -> list[str]:
    return _SKLEARN_TOKEN.findall(text.lower())


def _char_analyzer(lo: int, hi: int) -> Callable[[str], list[str]]:
    """The analyzer of character ``lo``–``hi`` grams of Chinese runs (Latin runs whole)."""

    def analyze(text: str) -> list[str]:
        out: list[str] = []
        for seg in segments(text):
            out.extend(_char_ngrams(seg, lo, hi))
        return out

    return analyze


def _keep_word(w: str) -> bool:
    return w not in _STOPWORDS and (len(w) > 1 or _is_latin(w))


def _an_word(text: str) -> list[str]:
    return [w for w in words(text) if _keep_word(w)]


def _an_word_char2(text: str) -> list[str]:
    out: list[str] = []
    for seg in segments(text):
        for w in _cut_segment(seg):
            if _keep_word(w):
                out.append(w)
        for g in _char_ngrams(seg, 2, 2, prefix="\x01"):
            if not _is_latin(g[1:]):
                out.append(g)
    return out


def _an_word_char12(text: str) -> list[str]:
    out: list[str] = []
    for seg in segments(text):
        for w in _cut_segment(seg):
            if _keep_word(w):
                out.append(w)
        for g in _char_ngrams(seg, 1, 2, prefix="\x01"):
            if not _is_latin(g[1:]):
                out.append(g)
    return out


def _an_word_sub(text: str) -> list[str]:
    """Words, plus the character bigrams inside words of 3+ Chinese characters.

    Gives partial matches between compound words (后端开发 / 开发工程师 share 开发) at a fraction of
    the cost of bigrams over the whole text.
    """
    out: list[str] = []
    for seg in segments(text):
        for w in _cut_segment(seg):
            if not _keep_word(w):
                continue
            out.append(w)
            if len(w) >= 3 and not _is_latin(w):
                for i in range(len(w) - 1):
                    g = w[i : i + 2]
                    if g not in _STOPWORDS:
                        out.append("\x01" + g)
    return out


def _single_words(seg: str) -> list[str]:
    """The Chinese characters jieba leaves standing alone as words (stop words excluded)."""
    return [w for w in _cut_segment(seg) if len(w) == 1 and not _is_latin(w) and w not in _STOPWORDS]


def _an_char2w1(text: str) -> list[str]:
    """Character bigrams, plus the single characters that jieba segments as whole words.

    A character inside a longer word (开 in 开发) is not a feature of its own: such unigrams are
    in nearly every text, so they cost most of the sparse product and say little.
    """
    out: list[str] = []
    for seg in segments(text):
        out.extend(_char_ngrams(seg, 2, 2))
        out.extend(_single_words(seg))
    return out


ANALYZERS: dict[str, Callable[[str], list[str]]] = {
    "sklearn": _an_sklearn,
    "char12": _char_analyzer(1, 2),
    "char23": _char_analyzer(2, 3),
    "char2": _char_analyzer(2, 2),
    "char2+w1": _an_char2w1,
    "word": _an_word,
    "word+char2": _an_word_char2,
    "word+char12": _an_word_char12,
    "word+sub2": _an_word_sub,
}


def get_analyzer(name: str) -> Callable[[str], list[str]]:
    """Return the analyzer function called ``name`` (see :data:`ANALYZERS`)."""
    try:
        return ANALYZERS[name]
    except KeyError:
        raise ValueError(f"unknown analyzer {name!r}; choose one of {sorted(ANALYZERS)}") from None


def feature_text(feature: str) -> str:
    """The plain text of a feature (drops the union analyzer's char-gram prefix)."""
    return feature[1:] if feature.startswith("\x01") else feature


# --------------------------------------------------------------------------- canonical values
# Industry vocabulary: Guizhou's priority industries (§1, §2 of the notice) plus common others.
# Each canonical label is matched by any of its keywords (after normalisation).
_INDUSTRIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("大数据电子信息", ("大数据", "电子信息", "数据中心", "云计算", "算力", "集成电路", "电子")),
    ("软件和信息技术服务", ("软件", "信息技术", "互联网", "it", "计算机", "人工智能")),
    ("先进装备制造", ("装备制造", "先进装备", "机械", "制造", "航空", "数控")),
    ("新能源汽车", ("新能源汽车", "汽车", "动力电池", "电池")),
    ("磷化工/现代化工", ("磷化工", "现代化工", "化工", "化学")),
    ("铝及铝加工", ("铝", "冶金", "有色金属")),
    ("健康医药", ("医药", "医疗", "健康", "医院", "制药", "药", "护理", "卫生")),
    ("生态特色食品", ("食品", "餐饮", "茶")),
    ("基础能源", ("基础能源", "煤", "矿", "油气", "天然气")),
    ("清洁高效电力", ("电力", "电网", "光伏", "风电", "水电", "清洁能源", "能源")),
    ("新型建材", ("建材", "建筑材料", "水泥")),
    ("优质烟酒", ("烟酒", "白酒", "酒", "烟草", "卷烟")),
    ("旅游", ("旅游", "文旅", "酒店", "景区", "康养")),
    ("现代山地特色高效农业", ("农业", "山地", "种植", "养殖", "畜牧", "农")),
    ("教育", ("教育", "学校", "培训", "教学")),
    ("金融", ("金融", "银行", "证券", "保险", "会计", "财务")),
    ("建筑", ("建筑", "工程建设", "房地产", "土木")),
    ("批发零售", ("零售", "批发", "商贸", "电商", "销售")),
    ("物流", ("物流", "快递", "供应链", "交通运输")),
    ("政府公共服务", ("政府", "事业单位", "公共服务", "社区", "基层")),
)


@lru_cache(maxsize=4096)
def canonical_industry(value: str | None) -> str | None:
    """Map an industry label to the canonical vocabulary (first keyword hit), else itself."""
    if not value:
        return None
    t = normalize(value).replace(" ", "")
    if not t:
        return None
    for label, keys in _INDUSTRIES:
        if t == normalize(label).replace(" ", ""):
            return label
    for label, keys in _INDUSTRIES:
        if any(k in t for k in keys):
            return label
    return t


_CITY_SUFFIX = re.compile(r"(市|地区|自治州|州|县|区|新区)$")


@lru_cache(maxsize=4096)
def canonical_city(value: str | None) -> str | None:
    """Normalise a city name: 贵阳市 → 贵阳, 贵州省贵阳市 → 贵阳."""
    if not value:
        return None
    t = normalize(value).replace(" ", "")
    if "省" in t[:-1]:
        t = t.split("省", 1)[1]
    if len(t) > 2:
        t = _CITY_SUFFIX.sub("", t)
    return t or None


@lru_cache(maxsize=4096)
def canonical_major(value: str | None) -> str | None:
    """Normalise a major name: strip spaces, punctuation and a trailing 专业."""
    if not value:
        return None
    t = normalize(value).replace(" ", "")
    if t.endswith("专业") and len(t) > 2:
        t = t[:-2]
    return t or None


def iter_tokens(texts: Iterable[str], analyzer: str) -> Iterable[list[str]]:
    """Analyze each text with the named analyzer."""
    an = get_analyzer(analyzer)
    for t in texts:
        yield an(t)
