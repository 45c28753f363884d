"""The slot engine on a full diary: a month's picker for a coach with 5,000 future bookings and
three busy calendars, in CPU time (time.process_time: this process only, so the machine's other
work hardly moves it; on PostgreSQL the server's own CPU is not in it).

    .venv/bin/python bench/slots_month.py [--postgres URL] [--runs 15]

The coach is open every day 07:00–21:00 (Europe/Paris), books 30-minute calls on the half hour,
and has every other slot taken for the next 5,000 slots (about a year); three calendars add a
busy hour each on most days. Each run clears the slot cache (as a booking would) and builds the
picker for next month: the queries, the engine over every day of the month, the days' grouping.
Target: at most 50 ms of CPU.
"""
import statistics
import sys
import time
from datetime import time as clock, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import growth  # noqa: E402 - its booking rows and bulk insert

ZONE = ZoneInfo("Europe/Paris")


def fill(app, bookings):
    from blueprints.auth.models import CoachProfile
    from blueprints.coach.service import create_coach
    from database import db, utcnow
    from scheduling.models import BusyBlock, BusySource, WeeklyHours
    with app.app_context():
        db.connect(reuse_if_open=True)
        coach = create_coach("coach@bench.example", "Busy Coach", "bench-slots-password", "Europe/Paris")
        CoachProfile.update(horizon_days=400, min_notice_hours=12).where(CoachProfile.user == coach).execute()
        for weekday in range(7):
            WeeklyHours.create(coach=coach, weekday=weekday, start_time=clock(7), end_time=clock(21))
        today = utcnow().astimezone(ZONE).date()
        rows, day, n = [], today + timedelta(days=1), 0
        while n < bookings:
            for half_hour in range(0, 28, 2):
                if n == bookings:
                    break
                start = _at(day, 7, 30 * half_hour)
                rows.append(growth._booking(coach, start, 30, f"s{n}"))
                n += 1
            day += timedelta(days=1)
        sources = [BusySource.create(coach=coach, name=f"Calendar {i}", url=f"https://cal{i}.example/x.ics")
                   for i in range(3)]
        blocks = [dict(source=source, starts_at=_at(today + timedelta(days=d), 8 + 4 * i, 15),
                       ends_at=_at(today + timedelta(days=d), 9 + 4 * i, 15))
                  for i, source in enumerate(sources) for d in range(400) if d % 7 != 6]
        with db.atomic():
            growth._insert_bookings(rows)
            for start in range(0, len(blocks), 500):
                BusyBlock.insert_many(blocks[start:start + 500]).execute()
        db.execute_sql("ANALYZE")
        db.close()
    return coach, len(blocks)


def _at(day, hour, minutes):
    return (date_time(day, hour) + timedelta(minutes=minutes)).astimezone(ZoneInfo("UTC"))


def date_time(day, hour):
    from datetime import datetime
    return datetime.combine(day, clock(hour), ZONE)


def measure(url, bookings, runs):
    from app import create_app
    from blueprints.auth.models import CoachProfile
    from blueprints.booking import offer, picker
    from commands import migration_router
    from database import db, make_database, utcnow
    from scheduling import service

    database = make_database(url)
    db.initialize(database)
    migration_router().run()
    database.close()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "REQUEST_LOG": False})
    coach, blocks = fill(app, bookings)
    month = picker.add_months(picker.first_of_month(utcnow().astimezone(ZONE).date()), 1)
    args = {"month": month.strftime("%Y-%m"), "tz": "Europe/Paris"}
    cpu, wall, days = [], [], 0
    with app.app_context(), db.connection_context():
        profile = CoachProfile.for_user(coach.id)
        for _ in range(runs + 2):
            service._CACHE.clear()  # as after a booking: the month is computed, not remembered
            started_cpu, started = time.process_time(), time.perf_counter()
            view = offer.picker_for(profile, args)
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
            days = len(view.days)
    cpu, wall = cpu[2:], wall[2:]  # the first two warm imports and connections
    return {"bookings": bookings, "busy_blocks": blocks, "month": args["month"], "days_with_slots": days,
            "cpu_ms": statistics.median(cpu) * 1000, "wall_ms": statistics.median(wall) * 1000}


def main():
    args = growth.arguments(__doc__, bookings=5000, runs=15)
    results = growth.on_each_database(measure, args.postgres, "slots", args.bookings, args.runs)
    growth.table(["database", "future bookings", "busy blocks (3 calendars)", "month", "days with free slots",
                  "CPU, median (target ≤ 50 ms)", "wall, median"],
                 [[backend, f"{r['bookings']:,}", f"{r['busy_blocks']:,}", r["month"], str(r["days_with_slots"]),
                   f"**{r['cpu_ms']:.1f} ms**{'' if r['cpu_ms'] <= 50 else ' ❌'}", f"{r['wall_ms']:.1f} ms"]
                  for backend, r in results.items()])


if __name__ == "__main__":
    main()
