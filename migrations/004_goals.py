"""004 — goals across work and life: a coach's life areas, goal status and privacy, steps with
due dates (the old `milestone` table, renamed), check-ins with progress, comments, suggested
steps, and the wheel of life.

Existing goals keep their data: "work" goals land in their coach's "Work & career" area, the
old "Personal life" goals are left without an area for the client to sort, archived goals
become "paused" (nothing is lost; the client decides).
"""
import peewee as pw
from peewee_migrate import Migrator

DEFAULT_AREAS = ["Work & career", "Money", "Home & place", "Relationships",
                 "Health & energy", "Growth & learning", "Fun & rest"]


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class LifeArea(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        name = pw.CharField(max_length=60)
        position = pw.IntegerField(default=0)
        retired = pw.BooleanField(default=False)

        class Meta:
            table_name = "life_area"
            indexes = [(('coach', 'name'), True)]

    migrator.add_fields(
        'goal',
        life_area=pw.ForeignKeyField(column_name='life_area_id', field='id', model=migrator.orm['life_area'],
                                     null=True, on_delete='SET NULL'),
        status_changed_at=pw.DateTimeField(null=True),
        manual_progress=pw.SmallIntegerField(null=True),
    )
    # NOT NULL columns with a default in one statement each: peewee's way (add nullable, fill,
    # then NOT NULL) rebuilds the table on SQLite, and dropping `goal` inside the migration's
    # transaction would cascade to every step and check-in.
    add_not_null_with_default(migrator, 'goal', 'status', pw.CharField(max_length=10, default='active'),
                              "VARCHAR(10) NOT NULL DEFAULT 'active'")
    add_not_null_with_default(migrator, 'goal', 'reflection', pw.TextField(default=''), "TEXT NOT NULL DEFAULT ''")
    migrator.run(_carry_over_goals, database)
    migrator.remove_fields('goal', 'area', 'archived')

    migrator.rename_table('milestone', 'step')
    migrator.add_fields(
        'step',
        due_date=pw.DateField(null=True),
        suggested_by=pw.ForeignKeyField(column_name='suggested_by_id', field='id', model=migrator.orm['user'],
                                        null=True, on_delete='SET NULL'),
    )
    add_not_null_with_default(migrator, 'check_in', 'progress', pw.SmallIntegerField(default=0),
                              "SMALLINT NOT NULL DEFAULT 0")

    @migrator.create_model
    class GoalComment(pw.Model):
        id = pw.AutoField()
        goal = pw.ForeignKeyField(column_name='goal_id', field='id', model=migrator.orm['goal'], on_delete='CASCADE')
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        body = pw.TextField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "goal_comment"

    @migrator.create_model
    class StepSuggestion(pw.Model):
        id = pw.AutoField()
        goal = pw.ForeignKeyField(column_name='goal_id', field='id', model=migrator.orm['goal'], on_delete='CASCADE')
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        title = pw.CharField(max_length=200)
        due_date = pw.DateField(null=True)
        status = pw.CharField(max_length=10, default='pending')
        created_at = pw.DateTimeField()
        decided_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "step_suggestion"

    @migrator.create_model
    class Wheel(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        shared = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "wheel"

    @migrator.create_model
    class WheelScore(pw.Model):
        id = pw.AutoField()
        wheel = pw.ForeignKeyField(column_name='wheel_id', field='id', model=migrator.orm['wheel'], on_delete='CASCADE')
        life_area = pw.ForeignKeyField(column_name='life_area_id', field='id', model=migrator.orm['life_area'],
                                       null=True, on_delete='SET NULL')
        area_name = pw.CharField(max_length=60)
        score = pw.SmallIntegerField()
        word = pw.CharField(max_length=40, default='')

        class Meta:
            table_name = "wheel_score"

    @migrator.create_model
    class WheelRequest(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        message = pw.CharField(max_length=300, default='')
        created_at = pw.DateTimeField()
        answered_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "wheel_request"


def add_not_null_with_default(migrator, table, name, field, sql_type):
    migrator.sql(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {sql_type}')
    with migrator.fake():  # the model state learns the field; the SQL above made the column
        migrator.add_fields(table, **{name: field})


def _carry_over_goals(database):
    """Give each coach whose clients have goals the default areas, and sort old goals into them."""
    p = database.param
    coaches = database.execute_sql(
        'SELECT DISTINCT u.coach_id FROM goal g JOIN "user" u ON u.id = g.client_id '
        'WHERE u.coach_id IS NOT NULL').fetchall()
    for (coach_id,) in coaches:
        for position, name in enumerate(DEFAULT_AREAS):
            database.execute_sql(
                f"INSERT INTO life_area (coach_id, name, position, retired) VALUES ({p}, {p}, {p}, {p})",
                (coach_id, name, position, False))
    database.execute_sql(
        "UPDATE goal SET life_area_id = (SELECT a.id FROM life_area a JOIN \"user\" u ON a.coach_id = u.coach_id "
        f"WHERE u.id = goal.client_id AND a.name = {p}) WHERE area = {p}", ("Work & career", "work"))
    database.execute_sql(f"UPDATE goal SET status = {p} WHERE archived = {p}", ("paused", True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('wheel_request')
    migrator.remove_model('wheel_score')
    migrator.remove_model('wheel')
    migrator.remove_model('step_suggestion')
    migrator.remove_model('goal_comment')
    migrator.remove_fields('check_in', 'progress')
    migrator.remove_fields('step', 'due_date', 'suggested_by')
    migrator.rename_table('step', 'milestone')
    migrator.add_fields('goal', area=pw.CharField(max_length=10, default='work'),
                        archived=pw.BooleanField(default=False))
    migrator.remove_fields('goal', 'life_area', 'status', 'reflection', 'status_changed_at', 'manual_progress')
    migrator.remove_model('life_area')
