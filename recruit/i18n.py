"""Marking strings for translation where they are not translated on the spot.

``N_("...")`` returns its argument unchanged; ``pybabel extract -k N_`` finds it, so a message
kept in a constant (and passed to ``gettext`` later) is in the catalog. Messages of
``ServiceError("...")`` are extracted with ``-k ServiceError`` and translated where they are shown.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import gettext

from recruit.validation import CITIES, DEGREES, INDUSTRIES, UNIVERSITY_LEVELS

#: Values of the fixed vocabularies: stored in Chinese, shown through the catalogue (:func:`vocab_label`).
VOCABULARY = frozenset(DEGREES + INDUSTRIES + CITIES + UNIVERSITY_LEVELS)


def N_(message: str) -> str:
    return message


def translate(message: str, **params) -> str:
    """``gettext`` in a request (the user's language); the Chinese text, filled in, outside one
    (CLI commands, jobs, tests calling services directly)."""
    if has_request_context():
        return gettext(message, **params)
    return message % params if params else message


def vocab_label(value: str | None) -> str:
    """A value of a fixed vocabulary (degree, industry, city, university level) in the user's
    language; anything else (free text, user data) as is. Stored values stay Chinese.

    The one renderer of these words: the ``|vocab`` template filter and the match reasons use it.
    """
    if value in VOCABULARY:
        return translate(value)
    return value or ""


#: Words translated at run time from data (degrees, industries, cities of recruit.validation; the
#: policy's season names; holiday names): marked here so that ``pybabel extract`` keeps them in the
#: catalogue. Keep in step with those lists (tests/test_i18n_english.py checks).
DATA_MSGIDS = (
    N_("专科"),
    N_("本科"),
    N_("硕士"),
    N_("博士"),
    N_("大数据电子信息"),
    N_("软件和信息技术服务"),
    N_("先进装备制造"),
    N_("新能源汽车"),
    N_("磷化工/现代化工"),
    N_("铝及铝加工"),
    N_("健康医药"),
    N_("生态特色食品"),
    N_("基础能源"),
    N_("清洁高效电力"),
    N_("新型建材"),
    N_("优质烟酒"),
    N_("旅游"),
    N_("现代山地特色高效农业"),
    N_("教育"),
    N_("金融"),
    N_("建筑工程"),
    N_("交通物流"),
    N_("公共管理"),
    N_("文化传媒"),
    N_("贵阳"),
    N_("遵义"),
    N_("六盘水"),
    N_("安顺"),
    N_("毕节"),
    N_("铜仁"),
    N_("凯里"),
    N_("都匀"),
    N_("兴义"),
    N_("贵安新区"),
    N_("仁怀"),
    N_("盘州"),
    N_("清镇"),
    N_("北京"),
    N_("上海"),
    N_("广州"),
    N_("深圳"),
    N_("杭州"),
    N_("成都"),
    N_("重庆"),
    N_("长沙"),
    N_("昆明"),
    N_("春季校园招聘服务季"),
    N_("秋季校园招聘服务季"),
    N_("元旦"),
    N_("春节"),
    N_("清明节"),
    N_("劳动节"),
    N_("端午节"),
    N_("国庆节"),
    N_("中秋节"),
    N_("抗战胜利纪念日"),
    N_("法定节假日"),
    N_("高职专科"),
)
