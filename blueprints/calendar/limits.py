"""How much of a stranger's calendar we take, for the address fetcher and the file reader alike."""

MAX_BYTES = 2_000_000  # per calendar, downloaded or uploaded
MAX_EVENTS = 20_000  # VEVENT components per calendar
READ_SECONDS = 20.0  # wall time to read one calendar (checked while its repeating events are worked out)


def size_in_words(size: int) -> str:
    return f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size / 1_000:g} KB"
