"""Migration 004 keeps the goals people already had: work goals land in their coach's
"Work & career" area, archived goals become paused, milestones become steps."""
import pytest

from support.app import ON_POSTGRES
from database import db, make_database


@pytest.mark.skipif(ON_POSTGRES, reason="needs a database at the schema before 004: a fresh SQLite file")
def test_existing_goals_and_milestones_are_carried_over(tmp_path):
    from commands import migration_router
    database = make_database(f"sqlite:///{tmp_path}/old.sqlite3")
    db.initialize(database)
    try:
        router = migration_router()
        names = router.todo
        router.run(names[names.index("004_goals") - 1])
        run = database.execute_sql
        run("INSERT INTO user (id, email, name, role, timezone, session_nonce, created_at) VALUES "
            "(1, 'c@x', 'Coach', 'coach', 'UTC', 'n1', '2026-01-01'), (2, 'a@x', 'Alex', 'client', 'UTC', 'n2', '2026-01-01')")
        run("UPDATE user SET coach_id = 1 WHERE id = 2")
        run("INSERT INTO goal (id, client_id, title, area, why, shared, archived, created_at) VALUES "
            "(1, 2, 'Teach', 'work', '', 1, 0, '2026-01-01'), (2, 2, 'Climb', 'life', '', 1, 1, '2026-01-01')")
        run("INSERT INTO milestone (goal_id, title, position, done_at) VALUES (1, 'Ask', 0, '2026-01-02')")
        run("INSERT INTO check_in (goal_id, note, confidence, created_at) VALUES (1, 'Hopeful', 6, '2026-01-03')")
        router.run()
        from blueprints.goals.models import Goal, LifeArea, Step
        teach, climb = Goal.get_by_id(1), Goal.get_by_id(2)
        assert teach.life_area.name == "Work & career" and teach.status == "active"
        assert climb.life_area is None and climb.status == "paused"
        assert [s.title for s in Step.of_goal(teach)] == ["Ask"] and Step.get().done_at is not None
        assert LifeArea.select().where(LifeArea.coach == 1).count() == 7
        from blueprints.goals.models import CheckIn
        check_in = CheckIn.get()
        assert (check_in.note, check_in.confidence, check_in.progress) == ("Hopeful", 6, 0)
    finally:
        database.close()
