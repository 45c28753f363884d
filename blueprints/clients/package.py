"""Package maths: "3 of 6 used". Pure: plain numbers and datetimes in, a plain value out."""
from dataclasses import dataclass


@dataclass(frozen=True)
class PackageProgress:
    total: int
    used: int    # sessions that have started (kept, or marked no-show)
    booked: int  # sessions still to come

    @property
    def left(self):
        """Sessions not yet used or booked (never below zero: a coach may run over)."""
        return max(self.total - self.used - self.booked, 0)

    @property
    def percent(self):
        return min(round(100 * self.used / self.total), 100) if self.total else 0

    @property
    def summary(self):
        text = f"{self.used} of {self.total} used"
        return text + (f" · {self.booked} booked" if self.booked else "")


def package_progress(total, session_starts, since, now):
    """Progress of a `total`-session package over the client's active session start times."""
    counted = [start for start in session_starts if start >= since]
    used = sum(1 for start in counted if start <= now)
    return PackageProgress(total=total, used=used, booked=len(counted) - used)
