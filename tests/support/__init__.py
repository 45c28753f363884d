"""What tests share, by subject; tests/conftest.py only turns some of it into fixtures.

app.py       TestConfig, the per-test database (SQLite copy or truncated PostgreSQL), ROOT
accounts.py  PASSWORD, EMAILS, sign_in() — the one way to sign in — and the users of the matrix
pages.py     HX (an htmx request's header), unescaped() and readable() page text
mail.py      the SMTP server on loopback, deliver_mail(), outbox()
servers.py   gunicorn on this test's database, Debian's chromium through Playwright
axe.py       axe-core's serious and critical accessibility problems on a Playwright page
booking.py   a coach open around the clock, free slots, the booking form, stored bookings
calendar.py  bookings and ICS documents for the calendar tests, a calendar server on loopback
journal.py   entries written through the service, sessions to prepare for
goals.py     a life area, a goal with steps, progress and labels read off a page
"""
