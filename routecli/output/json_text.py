"""JSON text for output: ``json.dumps(data, ensure_ascii=False)``, valid UTF-8 always.

A file name that is not UTF-8 reaches the data as Python holds it, its bytes
surrogate-escaped (``"\\udcff"``); written raw, those bytes would make the JSON invalid
UTF-8. They are written as JSON escapes instead, which ``json.loads`` reads back to the
same string (and ``os.fsencode`` to the same bytes)."""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(data: Any, **options: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, **options)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return text
