"""016 — privacy: when a coach looked at what a client shares (one row per coach, client, kind
and day), and requests to delete an account (a grace period, then the worker erases it)."""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class CoachView(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        kind = pw.CharField(max_length=10)
        day = pw.DateField()
        first_at = pw.DateTimeField()
        last_at = pw.DateTimeField()
        count = pw.IntegerField(default=1)

        class Meta:
            table_name = "coach_view"
            indexes = [(('coach', 'client', 'kind', 'day'), True), (('client', 'day'), False)]

    @migrator.create_model
    class AccountDeletion(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE',
                                  unique=True)
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], null=True,
                                   on_delete='SET NULL')
        requested_at = pw.DateTimeField()
        erase_after = pw.DateTimeField(index=True)
        erased_at = pw.DateTimeField(null=True)
        notes_decision = pw.CharField(max_length=10, default="")

        class Meta:
            table_name = "account_deletion"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("account_deletion")
    migrator.remove_model("coach_view")
