"""What Django makes of a request URL: ``path_info`` and the APPEND_SLASH Location."""

from __future__ import annotations

from urllib.parse import quote, unquote_to_bytes

# Characters Django leaves unescaped in a path (escape_uri_path) and in a query
# string (iri_to_uri) when it writes a Location.
_PATH_SAFE = "/:@&+$,-_.!~*'()"
_IRI_SAFE = "/#%[]=:;$&()+,!?*@'~"
_BROKEN_SAFE = b"/#%[]=:;$&()+,!?*@'~"


def path_info(raw_path: str) -> str:
    """The decoded path Django resolves: percent-decoded bytes, UTF-8, with bytes that
    are not valid UTF-8 re-quoted (RFC 3987); an empty path is "/". No slash merging,
    no case folding: ``%2F`` is a ``/``."""
    if "%" not in raw_path and raw_path.isascii():
        return raw_path or "/"
    data = unquote_to_bytes(raw_path) if "%" in raw_path else raw_path.encode("utf-8")
    return _repercent_broken(data).decode("utf-8") or "/"


def _repercent_broken(data: bytes) -> bytes:
    parts = []
    while True:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            parts.append(data[:exc.start] + quote(data[exc.start:exc.end],
                                                   safe=_BROKEN_SAFE).encode())
            data = data[exc.end:]
        else:
            return b"".join(parts) + data


def slash_location(path: str, query: str) -> str:
    """CommonMiddleware's APPEND_SLASH target: the path quoted plus "/", the query kept,
    relative; a leading "//" escaped so it cannot read as another host."""
    location = quote(path, safe=_PATH_SAFE) + "/"
    if query:
        location += "?" + quote(query, safe=_IRI_SAFE)
    if location.startswith("//"):
        location = "/%2F" + location[2:]
    return location
