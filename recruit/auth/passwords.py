"""Password rules, the dummy hash for unknown e-mails, and password-reset links.

Strength: zxcvbn (the Python port of Dropbox's estimator, pinned in requirements.txt) scores
a password 0-4 against its lists of common passwords, names, words, keyboard walks, dates
and repeats, plus the account's own e-mail and name and a few common Chinese pinyin
passwords. A score below ``PASSWORD_MIN_SCORE`` (2: "somewhat guessable" or better, i.e.
more than about 10^8 guesses, far beyond what the login throttle lets through) is refused.

Reset links are signed with itsdangerous (the app's SECRET_KEY, a salt of their own), carry
the user id and a fingerprint of the current password hash, and expire after
``PASSWORD_RESET_MAX_AGE_SECONDS``. Setting the password changes the hash (a fresh salt
every time), so a link works once: replaying it, or any older link, finds another hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from recruit.auth.models import PASSWORD_METHOD, User
from recruit.extensions import db

PASSWORD_MIN_SCORE = 2
#: Only this many characters are scored (zxcvbn's run time grows with the length).
SCORED_LENGTH = 64
#: Common pinyin words and numbers in Chinese passwords, added to zxcvbn's English lists.
CHINESE_WORDS = (
    "woaini",
    "aini",
    "5201314",
    "1314",
    "520",
    "woaiwojia",
    "iloveyou",
    "zhongguo",
    "china",
    "guizhou",
    "guiyang",
    "zunyi",
    "daxue",
    "xuesheng",
    "biye",
    "zhaopin",
    "qwer",
    "asdf",
    "zxcv",
    "wang",
    "zhang",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "zhou",
    "xiaoming",
    "baobei",
    "laogong",
    "laopo",
    "mima",
    "qq",
    "weixin",
    "recruit",
)
RESET_SALT = "recruit.password-reset"


def weakness(password: str, *user_inputs: str) -> str | None:
    """A message (msgid) when ``password`` is too easy to guess, else None."""
    inputs = [*CHINESE_WORDS, *(x for x in user_inputs if x)]
    for value in user_inputs:
        if value and "@" in value:  # the e-mail's parts too: "hr", "yunshang", "example"
            inputs.extend(part for part in re.split(r"[@.\-_+]", value) if len(part) >= 2)
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=inputs)
    if result["score"] < PASSWORD_MIN_SCORE:
        return "密码太容易被猜到（常见密码、简单序列或与您的邮箱、姓名相近）。请使用更长、不常见的词组合，例如三四个不相关的词。"
    return None


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("not the password of anybody", method=PASSWORD_METHOD)


def verify(user: User | None, password: str) -> bool:
    """Check ``password``; for no user, hash against a dummy so the time does not tell."""
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return user.check_password(password)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), user.password_hash.encode(), hashlib.sha256).hexdigest()[
        :32
    ]


def reset_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_reset_token(token: str) -> tuple[User | None, str | None]:
    """(user, None) for a valid link, else (None, message)."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"])
    except SignatureExpired:
        return None, "该重设密码链接已过期，请重新申请。"
    except BadSignature:
        return None, "该重设密码链接无效或已使用，请重新申请。"
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) and isinstance(data.get("u"), int) else None
    if user is None or not user.active or not hmac.compare_digest(str(data.get("p", "")), _fingerprint(user)):
        return None, "该重设密码链接无效或已使用，请重新申请。"
    return user, None
