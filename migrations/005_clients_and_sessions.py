"""005 — clients and coaching sessions: invitations, client records (archive, package), the
coach's private notes, session types, and each booking's session type and meeting-place kind.
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class SessionType(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        name = pw.CharField(max_length=80)
        minutes = pw.IntegerField(default=60)
        location_kind = pw.CharField(default='video', max_length=10)
        location_detail = pw.CharField(default='', max_length=500)
        position = pw.IntegerField(default=0)
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "session_type"

    @migrator.create_model
    class Invitation(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        token_hash = pw.CharField(max_length=64, unique=True)
        note = pw.TextField(default='')
        expires_at = pw.DateTimeField()
        accepted_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "invitation"

    @migrator.create_model
    class ClientRecord(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE', unique=True)
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        archived_at = pw.DateTimeField(null=True)
        package_sessions = pw.IntegerField(null=True)
        package_note = pw.CharField(default='', max_length=200)
        package_since = pw.DateTimeField(null=True)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "client_record"

    @migrator.create_model
    class PrivateNote(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        booking = pw.ForeignKeyField(column_name='booking_id', field='id', model=migrator.orm['booking'], null=True, on_delete='SET NULL')
        body = pw.TextField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "private_note"

    migrator.add_fields(
        'booking',
        session_type=pw.ForeignKeyField(column_name='session_type_id', field='id', model=migrator.orm['session_type'],
                                        null=True, on_delete='SET NULL'),
        location_kind=pw.CharField(default='', max_length=10),
    )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('booking', 'session_type', 'location_kind')
    migrator.remove_model('private_note')
    migrator.remove_model('client_record')
    migrator.remove_model('invitation')
    migrator.remove_model('session_type')
