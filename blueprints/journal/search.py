"""Finding entries: full text on either database behind one function, filters, keyset pages.

SQLite uses the FTS5 table `journal_entry_fts`; PostgreSQL a GIN index on PG_DOCUMENT. Both
are built by migration 003. Results keep the journal's order (newest first), so a page is
always "the next 20 entries older than the last one you saw" — fast however long the journal.

How a filtered page is found, on SQLite (PostgreSQL's planner gets this right from its statistics):
a filter that matches many entries is a *probe* — walk the client's entries newest first along
the (client, created_at, id) index, check each, stop after one page; one that matches few is
fetched by id and sorted. Left to itself SQLite always does the latter, which for a word in a
quarter of a 100,000-entry journal means sorting 25,000 entries (~40 ms); walking instead for a
word that matches nothing means reading the whole journal. So the filter counts its matches
first, reading at most FEW of them. bench/README.md has the plans and the numbers.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import peewee as pw

from blueprints.journal.models import JournalEntry, JournalTag
from database import db, is_postgres

PAGE_SIZE = 20
MAX_WORDS = 12
# Same expression as the index in migrations/003_journal.py, or PostgreSQL will not use it.
PG_DOCUMENT = "to_tsvector('english', prompt || ' ' || body || ' ' || tags)"
_WORD = re.compile(r"\w+", re.UNICODE)
FEW = 500  # matches up to which fetching them all and sorting beats walking the journal (SQLite)


@dataclass(frozen=True)
class Filters:
    text: str = ""
    tag: str = ""
    prompt_id: int | None = None
    mood: int | None = None
    since: date | None = None
    until: date | None = None


def search_words(text):
    """The words of a search, lower-cased; punctuation and operators are never syntax."""
    return [w.lower() for w in _WORD.findall(text or "")][:MAX_WORDS]


def text_condition(text):
    """A WHERE condition matching entries that contain every word (as a prefix), or None."""
    words = search_words(text)
    if not words:
        return None
    if is_postgres():
        query = " & ".join(f"{w}:*" for w in words)
        return pw.SQL(f"{PG_DOCUMENT} @@ to_tsquery('english', %s)", [query])
    match = " ".join(f'"{w}"*' for w in words)
    matching = "SELECT rowid FROM journal_entry_fts WHERE journal_entry_fts MATCH ?"
    # `+id`: the same value, but not an index to start from, so SQLite walks the journal instead.
    entry_id = JournalEntry.id if few(matching, [match]) else pw.NodeList((pw.SQL("+"), JournalEntry.id), glue="")
    return entry_id.in_(pw.SQL(f"({matching})", [match]))


def tag_condition(client, tag):
    """Entries carrying `tag`: looked up one by one while walking (many), or fetched (few)."""
    tagged = JournalTag.select(JournalTag.entry).where((JournalTag.client == client) & (JournalTag.name == tag))
    if is_postgres() or few(*tagged.sql()):
        return JournalEntry.id.in_(tagged)
    return pw.fn.EXISTS(JournalTag.select(pw.SQL("1")).where(
        (JournalTag.entry == JournalEntry.id) & (JournalTag.name == tag)))


def few(sql, params):
    """Does the query `sql` return fewer than FEW rows? Reads at most FEW of them."""
    return db.execute_sql(f"SELECT COUNT(*) FROM ({sql} LIMIT {FEW}) AS sample", params).fetchone()[0] < FEW


def filtered(client, filters, zone="UTC"):
    """The client's own entries that pass every filter, newest first."""
    query = JournalEntry.of_client(client)
    condition = text_condition(filters.text)
    if condition is not None:
        query = query.where(condition)
    if filters.tag:
        query = query.where(tag_condition(client, filters.tag))
    if filters.prompt_id:
        query = query.where(JournalEntry.prompt_source == filters.prompt_id)
    if filters.mood:
        query = query.where(JournalEntry.mood == filters.mood)
    tz = ZoneInfo(zone)
    if filters.since:
        query = query.where(JournalEntry.created_at >= datetime.combine(filters.since, time(0), tz))
    if filters.until:
        query = query.where(JournalEntry.created_at < datetime.combine(filters.until + timedelta(days=1), time(0), tz))
    return query


def encode_cursor(entry):
    return f"{entry.created_at.strftime('%Y%m%dT%H%M%S.%f')}_{entry.id}"


def decode_cursor(cursor):
    """(created_at, id) from a cursor, or None for anything malformed (then: the first page)."""
    stamp, _, entry_id = (cursor or "").partition("_")
    try:
        from datetime import timezone
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S.%f").replace(tzinfo=timezone.utc), int(entry_id)
    except (ValueError, OverflowError):
        return None


def page(query, cursor=None, size=PAGE_SIZE):
    """One page of `query` (ordered newest first) after `cursor`; returns (rows, next cursor or None)."""
    position = decode_cursor(cursor)
    if position is not None:
        created_at, entry_id = position
        # The first bound lets the (client, created_at, id) index start right at the cursor.
        query = query.where((JournalEntry.created_at <= created_at)
                            & ((JournalEntry.created_at < created_at) | (JournalEntry.id < entry_id)))
    rows = list(query.limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    return rows, (encode_cursor(rows[-1]) if more and rows else None)
