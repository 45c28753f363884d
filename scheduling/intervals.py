"""Instants and intervals, checked and combined the same way everywhere (pure: no Flask, no db)."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable


def require_aware(value: datetime, name: str) -> datetime:
    """`value`, if it is a timezone-aware datetime; else ValueError naming `name`."""
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value


def merge(intervals: Iterable[tuple], touching: bool = True) -> list[tuple]:
    """Sorted union of half-open (start, end) intervals; empty ones vanish.

    Touching intervals join too, unless `touching` is False (then only overlapping ones do).
    """
    merged: list[list] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and (start <= merged[-1][1] if touching else start < merged[-1][1]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def subtract(ranges: list[tuple], holes: list[tuple]) -> list[tuple]:
    """Parts of sorted disjoint `ranges` not covered by sorted disjoint `holes`."""
    remaining = []
    for start, end in ranges:
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            if hole_start > start:
                remaining.append((start, hole_start))
            start = hole_end
        if start < end:
            remaining.append((start, end))
    return remaining
