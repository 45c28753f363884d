"""create-coach and seed-demo, as in CONTRACT.md."""
from support.accounts import PASSWORD


def test_create_coach_with_password(runner, app):
    result = runner.invoke(args=["create-coach", "--email", "Jo@Example.com", "--name", "Jo W", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    from blueprints.auth.models import CoachProfile, User
    coach = User.by_email("jo@example.com")
    assert coach.is_coach and CoachProfile.for_user(coach).slug == "jo-w"
    assert CoachProfile.for_user(coach).is_admin  # the practice's first coach
    again = runner.invoke(args=["create-coach", "--email", "pat@example.com", "--name", "Pat", "--password", "long enough pw"])
    assert again.exit_code == 0 and not CoachProfile.for_user(User.by_email("pat@example.com")).is_admin
    login = app.test_client().post("/login", data={"email": "jo@example.com", "password": "long enough pw"})
    assert login.headers["Location"] == "/coach"


def test_create_coach_prompts_for_password(runner):
    result = runner.invoke(args=["create-coach", "--email", "p@example.com", "--name", "P"],
                           input="prompted secret\nprompted secret\n")
    assert result.exit_code == 0, result.output
    from blueprints.auth.models import User
    assert User.by_email("p@example.com") is not None


def test_create_coach_refuses_duplicates_and_short_passwords(runner, users):
    dup = runner.invoke(args=["create-coach", "--email", "coach@example.com", "--name", "X", "--password", "long enough pw"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    short = runner.invoke(args=["create-coach", "--email", "n@example.com", "--name", "X", "--password", "short"])
    assert short.exit_code != 0 and "at least 10" in short.output


def counts():
    from models import ALL_MODELS
    return {m.__name__: m.select().count() for m in ALL_MODELS if m.__name__ != "RateLimitCounter"}


def test_seed_demo_is_idempotent(runner, app):
    first = runner.invoke(args=["seed-demo", "--password", PASSWORD])
    assert first.exit_code == 0 and "created" in first.output
    after_first = counts()
    second = runner.invoke(args=["seed-demo", "--password", "something else"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert counts() == after_first
    # coach, coach2, alex, sam, riley (invited); Mon–Fri for the coach, Tue–Fri for coach2
    assert after_first["User"] == 5 and after_first["WeeklyHours"] == 9
    assert after_first["JournalEntry"] >= 4 and after_first["Goal"] >= 4

    client = app.test_client()
    assert client.post("/login", data={"email": "sam@example.com", "password": PASSWORD}).status_code == 303
    sams = client.get("/goals").get_data(as_text=True)
    assert "Ask for a four-day week" in sams and "Find a role with more teaching" not in sams
    assert "Run 5 km" in client.get("/goals/done").get_data(as_text=True)
    assert 'class="radar"' in client.get("/wheel").get_data(as_text=True)


def test_seed_demo_prints_a_random_password_when_none_given(runner, app):
    result = runner.invoke(args=["seed-demo"])
    password = result.output.split("password: ")[1].split()[0]
    login = app.test_client().post("/login", data={"email": "coach@example.com", "password": password})
    assert login.status_code == 303


def test_seed_demo_availability_is_mon_to_fri_nine_to_five(runner, app):
    from datetime import time
    runner.invoke(args=["seed-demo", "--password", PASSWORD])
    from blueprints.auth.models import User
    from scheduling.models import WeeklyHours
    coach = User.by_email("coach@example.com")
    rows = [(r.weekday, r.start_time, r.end_time)
            for r in WeeklyHours.select().where(WeeklyHours.coach == coach).order_by(WeeklyHours.weekday)]
    assert rows == [(d, time(9), time(17)) for d in range(5)]


def test_seed_demo_shows_a_practice_of_two_coaches(runner, app):
    runner.invoke(args=["seed-demo", "--password", PASSWORD])
    from blueprints.auth.models import User
    from scheduling.models import Booking, WeeklyHours
    priya = User.by_email("coach2@example.com")
    assert priya.is_coach and WeeklyHours.select().where(WeeklyHours.coach == priya).count() == 4
    assert Booking.select().where(Booking.coach == priya).count() == 1
    home = app.test_client().get("/").get_data(as_text=True)
    assert "Also at Whitfield &amp; Nair Career Coaching" in home
    assert 'href="/book"' in home and 'href="/coaches/priya-nair/book"' in home
    practice = app.test_client().get("/coaches").get_data(as_text=True)
    assert 'href="/coaches/jo-whitfield/book"' in practice and 'href="/coaches/priya-nair/book"' in practice
    login = app.test_client().post("/login", data={"email": "coach2@example.com", "password": PASSWORD})
    assert login.status_code == 303


def test_seed_demo_gives_a_lived_in_practice(runner, app):
    runner.invoke(args=["seed-demo", "--password", PASSWORD])
    from blueprints.auth.models import User
    from blueprints.clients.models import Invitation
    from database import utcnow
    from scheduling.models import Booking
    alex, sam = User.by_email("alex@example.com"), User.by_email("sam@example.com")
    now = utcnow()
    for client in (alex, sam):
        sessions = Booking.select().where((Booking.client == client) & (Booking.kind == "session"))
        assert sessions.where(Booking.starts_at < now).exists() and sessions.where(Booking.starts_at > now).exists()
    discovery = Booking.get((Booking.client == alex) & (Booking.kind == "discovery"))
    assert discovery.starts_at < now and discovery.answers.count() == 2
    assert Booking.select().where((Booking.kind == "discovery") & Booking.client.is_null()
                                  & (Booking.starts_at > now)).exists()
    assert Invitation.select().where(Invitation.accepted_at.is_null()).count() == 1
    coach = app.test_client()
    coach.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    page = coach.get(f"/coach/clients/{alex.id}").get_data(as_text=True)
    assert "teaching the juniors" in page and "2 of 6 used · 1 booked" in page and "Mapped energy givers" in page
    me = app.test_client()
    me.post("/login", data={"email": "alex@example.com", "password": PASSWORD})
    home = me.get("/me").get_data(as_text=True)
    assert "Coaching session" in home and "2 of 6 used" in home and "Mapped energy" not in home


def test_each_demo_client_has_their_own_story(runner, app):
    """Nothing the coach reads about one demo client repeats word for word for the other."""
    from blueprints.auth.models import User
    from blueprints.goals.models import CheckIn, Goal, GoalComment, StepSuggestion
    from blueprints.journal.models import JournalComment, JournalEntry
    assert runner.invoke(args=["seed-demo", "--password", PASSWORD]).exit_code == 0

    def words_of(email):
        client = User.by_email(email)
        goals = Goal.select().where(Goal.client == client)
        entries = JournalEntry.select().where(JournalEntry.client == client)
        return {
            "shared entries": {e.body for e in entries if e.shared},
            "coach's replies": {c.body for c in JournalComment.select().where(JournalComment.entry.in_(entries))},
            "goal comments": {c.body for c in GoalComment.select().where(GoalComment.goal.in_(goals))},
            "check-in notes": {c.note for c in CheckIn.select().where(CheckIn.goal.in_(goals)) if c.note},
            "suggestions": {s.title for s in StepSuggestion.select().where(StepSuggestion.goal.in_(goals))},
        }

    alex, sam = words_of("alex@example.com"), words_of("sam@example.com")
    for kind in alex:
        assert alex[kind] and sam[kind], kind
        assert not alex[kind] & sam[kind], (kind, alex[kind] & sam[kind])
