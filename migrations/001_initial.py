"""001 — the initial schema: accounts, practice settings, availability, bookings,
calendar sources, journal and goals, the mail outbox and rate-limit counters.

Frozen copy of the models as they were; later changes get their own numbered files.
"""
import peewee as pw
from peewee_migrate import Migrator

def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class User(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(max_length=254, unique=True)
        name = pw.CharField(max_length=120)
        role = pw.CharField(index=True, max_length=10)
        password_hash = pw.CharField(max_length=255, null=True)
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model='self', null=True, on_delete='SET NULL')
        timezone = pw.CharField(default='Europe/London', max_length=64)
        session_nonce = pw.CharField(max_length=32)
        feed_token = pw.CharField(max_length=64, null=True, unique=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "user"

    @migrator.create_model
    class Booking(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        kind = pw.CharField(default='discovery', max_length=20)
        name = pw.CharField(max_length=120)
        email = pw.CharField(index=True, max_length=254)
        phone = pw.CharField(default='', max_length=40)
        timezone = pw.CharField(max_length=64)
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField()
        status = pw.CharField(default='confirmed', index=True, max_length=12)
        location = pw.CharField(default='', max_length=600)
        manage_token = pw.CharField(max_length=64, unique=True)
        uid = pw.CharField(max_length=200, unique=True)
        sequence = pw.IntegerField(default=0)
        consent_at = pw.DateTimeField(null=True)
        cancel_reason = pw.TextField(default='')
        cancelled_by = pw.CharField(default='', max_length=10)
        cancelled_at = pw.DateTimeField(null=True)
        reminder_sent_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "booking"
            indexes = [(('coach', 'starts_at'), False)]

    @migrator.create_model
    class BusySource(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        name = pw.CharField(max_length=120)
        kind = pw.CharField(default='url', max_length=6)
        url = pw.CharField(default='', max_length=2000)
        etag = pw.CharField(max_length=300, null=True)
        last_modified_header = pw.CharField(max_length=100, null=True)
        event_count = pw.IntegerField(default=0)
        last_attempt_at = pw.DateTimeField(null=True)
        last_success_at = pw.DateTimeField(null=True)
        last_error = pw.TextField(default='')
        next_refresh_at = pw.DateTimeField(index=True, null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "busy_source"

    @migrator.create_model
    class BusyBlock(pw.Model):
        id = pw.AutoField()
        source = pw.ForeignKeyField(column_name='source_id', field='id', model=migrator.orm['busy_source'], on_delete='CASCADE')
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField()

        class Meta:
            table_name = "busy_block"
            indexes = [(('source', 'starts_at'), False)]

    @migrator.create_model
    class Goal(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        title = pw.CharField(max_length=200)
        area = pw.CharField(default='work', max_length=10)
        why = pw.TextField(default='')
        target_date = pw.DateField(null=True)
        shared = pw.BooleanField(default=True)
        archived = pw.BooleanField(default=False)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "goal"

    @migrator.create_model
    class CheckIn(pw.Model):
        id = pw.AutoField()
        goal = pw.ForeignKeyField(column_name='goal_id', field='id', model=migrator.orm['goal'], on_delete='CASCADE')
        note = pw.TextField(default='')
        confidence = pw.SmallIntegerField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "check_in"

    @migrator.create_model
    class CoachProfile(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE', unique=True)
        slug = pw.CharField(max_length=60, unique=True)
        headline = pw.CharField(default="Whether you call it a job or a career — let's talk.", max_length=200)
        intro_markdown = pw.TextField(default="Whether you call it a job or a career, what matters is that work gives you what you need\nfor your whole life: enough money, yes, but also time, energy, people you like and a reason\nto get up in the morning.\n\nIf something about your working life doesn't fit any more — or you're not sure what you want\nnext — a short, free discovery call is a good place to start. We'll talk about where you\nare, where you'd like to be, and whether coaching with me is the right way to get there.\n\nNo preparation, no obligation.\n")
        timezone = pw.CharField(default='Europe/London', max_length=64)
        call_minutes = pw.IntegerField(default=30)
        step_minutes = pw.IntegerField(default=30)
        buffer_minutes = pw.IntegerField(default=0)
        min_notice_hours = pw.IntegerField(default=12)
        horizon_days = pw.IntegerField(default=60)
        max_per_day = pw.IntegerField(null=True)
        location_kind = pw.CharField(default='video', max_length=10)
        location_detail = pw.CharField(default='', max_length=500)
        feed_token = pw.CharField(max_length=64, unique=True)
        feed_include_open_slots = pw.BooleanField(default=False)
        availability_version = pw.IntegerField(default=0)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "coach_profile"

    @migrator.create_model
    class DateOverride(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        day = pw.DateField()
        kind = pw.CharField(max_length=5)
        start_time = pw.TimeField(null=True)
        end_time = pw.TimeField(null=True)
        note = pw.CharField(default='', max_length=200)

        class Meta:
            table_name = "date_override"
            indexes = [(('coach', 'day'), False)]

    @migrator.create_model
    class IntakeQuestion(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        label = pw.CharField(max_length=200)
        help_text = pw.CharField(default='', max_length=300)
        required = pw.BooleanField(default=False)
        multiline = pw.BooleanField(default=True)
        position = pw.IntegerField(default=0)
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "intake_question"

    @migrator.create_model
    class IntakeAnswer(pw.Model):
        id = pw.AutoField()
        booking = pw.ForeignKeyField(column_name='booking_id', field='id', model=migrator.orm['booking'], on_delete='CASCADE')
        question = pw.ForeignKeyField(column_name='question_id', field='id', model=migrator.orm['intake_question'], null=True, on_delete='SET NULL')
        question_label = pw.CharField(max_length=200)
        answer = pw.TextField(default='')
        position = pw.IntegerField(default=0)

        class Meta:
            table_name = "intake_answer"

    @migrator.create_model
    class JournalEntry(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        prompt = pw.CharField(default='', max_length=300)
        body = pw.TextField()
        mood = pw.SmallIntegerField(null=True)
        tags = pw.CharField(default='', max_length=300)
        shared = pw.BooleanField(default=False)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "journal_entry"

    @migrator.create_model
    class JournalComment(pw.Model):
        id = pw.AutoField()
        entry = pw.ForeignKeyField(column_name='entry_id', field='id', model=migrator.orm['journal_entry'], on_delete='CASCADE')
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        body = pw.TextField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "journal_comment"

    @migrator.create_model
    class Milestone(pw.Model):
        id = pw.AutoField()
        goal = pw.ForeignKeyField(column_name='goal_id', field='id', model=migrator.orm['goal'], on_delete='CASCADE')
        title = pw.CharField(max_length=200)
        position = pw.IntegerField(default=0)
        done_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "milestone"

    @migrator.create_model
    class OneOffSlot(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        starts_at = pw.DateTimeField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "one_off_slot"
            indexes = [(('coach', 'starts_at'), True)]

    @migrator.create_model
    class OutboxMessage(pw.Model):
        id = pw.AutoField()
        to_addr = pw.CharField(max_length=254)
        subject = pw.CharField(max_length=300)
        text_body = pw.TextField()
        html_body = pw.TextField(null=True)
        ics = pw.TextField(null=True)
        ics_method = pw.CharField(max_length=10, null=True)
        status = pw.CharField(default='pending', index=True, max_length=8)
        attempts = pw.IntegerField(default=0)
        next_attempt_at = pw.DateTimeField(index=True)
        claimed_until = pw.DateTimeField(null=True)
        last_error = pw.TextField(default='')
        sent_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "outbox_message"

    @migrator.create_model
    class PasswordReset(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        token_hash = pw.CharField(max_length=64, unique=True)
        expires_at = pw.DateTimeField()
        used_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "password_reset"

    @migrator.create_model
    class RateLimitCounter(pw.Model):
        key = pw.CharField(max_length=255, primary_key=True)
        count = pw.IntegerField(default=0)
        expires_at = pw.DoubleField()

        class Meta:
            table_name = "rate_limit_counter"

    @migrator.create_model
    class WeeklyHours(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        weekday = pw.SmallIntegerField()
        start_time = pw.TimeField()
        end_time = pw.TimeField()

        class Meta:
            table_name = "weekly_hours"
            indexes = [(('coach', 'weekday'), False)]

    add_booking_guards(migrator, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_booking_guards(migrator, database)
    migrator.remove_model('weekly_hours')
    migrator.remove_model('rate_limit_counter')
    migrator.remove_model('password_reset')
    migrator.remove_model('outbox_message')
    migrator.remove_model('one_off_slot')
    migrator.remove_model('milestone')
    migrator.remove_model('journal_comment')
    migrator.remove_model('journal_entry')
    migrator.remove_model('intake_answer')
    migrator.remove_model('intake_question')
    migrator.remove_model('date_override')
    migrator.remove_model('coach_profile')
    migrator.remove_model('check_in')
    migrator.remove_model('goal')
    migrator.remove_model('busy_block')
    migrator.remove_model('busy_source')
    migrator.remove_model('booking')
    migrator.remove_model('user')


def add_booking_guards(migrator, database):
    """No two active bookings of one coach may overlap — enforced by the database itself.

    Both databases get a partial unique index on the start (a second line of defence);
    PostgreSQL also gets an exclusion constraint over the whole time range. On SQLite the
    booking code re-checks inside an IMMEDIATE transaction, which serialises writers.
    """
    migrator.sql(
        "CREATE UNIQUE INDEX booking_active_start ON booking (coach_id, starts_at) "
        "WHERE status <> 'cancelled'"
    )
    if isinstance(database, pw.PostgresqlDatabase):
        migrator.sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
        migrator.sql(
            "ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist "
            "(coach_id WITH =, tsrange(starts_at, ends_at) WITH &&) WHERE (status <> 'cancelled')"
        )


def drop_booking_guards(migrator, database):
    if isinstance(database, pw.PostgresqlDatabase):
        migrator.sql("ALTER TABLE booking DROP CONSTRAINT IF EXISTS booking_no_overlap")
    migrator.sql("DROP INDEX IF EXISTS booking_active_start")
