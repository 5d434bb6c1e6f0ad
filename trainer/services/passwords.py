"""What makes a password acceptable: at least MIN_LENGTH characters, not only whitespace, and not
one of the common passwords shipped in trainer/data/common-passwords.txt (breach lists' favourites)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 10
COMMON = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


class PasswordError(ValueError):
    """A password the policy refuses; the message says why."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset:
    """The shipped list, lower-cased."""
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check(password: str, username: str = "") -> None:
    """Raise PasswordError unless the password is acceptable for this account."""
    password = password if isinstance(password, str) else ""
    if not password.strip():
        raise PasswordError("the password may not be empty or only spaces")
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"the password must be at least {MIN_LENGTH} characters")
    folded = password.strip().lower()
    if folded in common_passwords():
        raise PasswordError("this password is one of the most common ones; choose another")
    if username and folded == username.strip().lower():
        raise PasswordError("the password may not be the username")
