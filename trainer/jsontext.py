"""Strict JSON text in: standard JSON only (no NaN or Infinity, no number that overflows), and
every way a hostile text can fail (too deep, too many digits) reported as one ValueError."""
from __future__ import annotations

import json
import math
import sys


class BadJSON(ValueError):
    """Text that is not standard JSON, with a message that says where or why."""


def _no_constant(name: str):
    raise BadJSON(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise BadJSON(f"the number {text[:20]}{'…' if len(text) > 20 else ''} is too large")
    return value


def loads(text):
    """Parse standard JSON text (str or UTF-8 bytes); BadJSON for anything else."""
    try:
        if isinstance(text, (bytes, bytearray)):
            text = text.decode("utf-8")     # json.loads would guess UTF-16 or UTF-32 as well
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except BadJSON:
        raise
    except json.JSONDecodeError as e:
        raise BadJSON(f"{e.msg} (line {e.lineno}, column {e.colno})") from None
    except UnicodeDecodeError:
        raise BadJSON("the text must be UTF-8") from None
    except RecursionError:      # [[[[...]]]] nested deeper than the parser goes
        raise BadJSON("nested too deeply") from None
    except ValueError as e:     # an integer of more digits than Python converts (4,300)
        if "digits" in str(e):
            raise BadJSON(f"a whole number has more than {sys.get_int_max_str_digits()} digits") from None
        raise BadJSON(str(e)) from None
