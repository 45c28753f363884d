"""A zip file written as it is sent: members go out chunk by chunk, nothing is held whole.

The standard library's zipfile writes to any object with `write()`; without `tell()`/`seek()`
it puts each member's sizes in a data descriptor after its data instead of going back to fill
them in, so the archive can be produced front to back. Pure: no Flask, no database.
"""
import zipfile
from datetime import datetime

FLUSH_AT = 64 * 1024  # hand bytes on once this many have gathered


class _Sink:
    """What zipfile writes into: it collects bytes until the generator hands them on."""

    def __init__(self):
        # One growing buffer, not a list of small bytes objects: closing the zip writes three
        # small pieces per member (the central directory), and 30,000 objects cost far more
        # than their bytes.
        self.buffer = bytearray()

    @property
    def size(self):
        return len(self.buffer)

    def write(self, data):
        self.buffer += data
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = bytes(self.buffer)
        self.buffer = bytearray()
        return data


def stream_zip(members, when=None):
    """Yield the bytes of a zip of `members`: (name, iterable of str or bytes chunks) pairs,
    each read lazily, so a member can be a generator over database rows."""
    stamp = (when or datetime.now()).timetuple()[:6]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            # force_zip64: the size is not known in advance, and a big JSON file must not fail halfway.
            with archive.open(info, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
                    if sink.size >= FLUSH_AT:
                        yield sink.take()
            if sink.size >= FLUSH_AT:
                yield sink.take()
    yield sink.take()
