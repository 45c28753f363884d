"""002 — security: server-side login sessions (logout ends a copied cookie), per-address
sign-in back-off, queued account emails (reset requests answer alike for any address), and a
calendar source's failure streak (back-off, "failing since" on /coach/calendar)."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class LoginSession(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        key_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "login_session"

    @migrator.create_model
    class LoginThrottle(pw.Model):
        email_hash = pw.CharField(max_length=64, primary_key=True)
        failures = pw.IntegerField(default=0)
        blocked_until = pw.DateTimeField(null=True)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "login_throttle"

    @migrator.create_model
    class AccountNotice(pw.Model):
        id = pw.AutoField()
        kind = pw.CharField(max_length=20)
        email = pw.CharField(max_length=254)
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "account_notice"

    migrator.add_fields(
        "busy_source",
        failure_count=pw.IntegerField(default=0),
        failing_since=pw.DateTimeField(null=True),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields("busy_source", "failure_count", "failing_since")
    migrator.remove_model("account_notice")
    migrator.remove_model("login_throttle")
    migrator.remove_model("login_session")
