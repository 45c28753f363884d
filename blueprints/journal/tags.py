"""Tags as people type them ("Work, family , work") → a clean list (["work", "family"])."""
import re

MAX_TAGS, MAX_TAG_LENGTH = 10, 25
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class TagError(ValueError):
    pass


def parse_tags(text):
    names = []
    for raw in (text or "").split(","):
        name = _SPACES.sub(" ", _CONTROL.sub(" ", raw)).strip().lower()
        if not name or name in names:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise TagError(f"Keep each tag under {MAX_TAG_LENGTH} characters (“{name[:30]}…” is longer).")
        names.append(name)
    if len(names) > MAX_TAGS:
        raise TagError(f"Use at most {MAX_TAGS} tags on one entry.")
    return names
