"""Scheduling: when a coach can be booked, shared by every kind of appointment.

models.py   offered hours, bookings (with their named queries), busy times
service.py  stored availability → the engine, cached per availability_version; bump_version
stamps.py   each coach's stamp for cached pages: read each time (SQLite), or kept per worker and
            forgotten on PostgreSQL's NOTIFY
slots.py    the pure slot engine; wallclock.py and ranges.py its wall-clock arithmetic

Imports no feature (blueprints.auth's models aside): features import scheduling.
"""
