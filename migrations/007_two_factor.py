"""007 — account security: two-step sign-in (authenticator secret, hashed recovery codes,
remembered devices) and email changes waiting for confirmation from the new address.

(007_prospect_retention is the same issue's first part; both carry the issue's number.)
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class TwoFactor(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE', unique=True)
        secret = pw.CharField(max_length=64)
        last_step = pw.BigIntegerField(default=0)
        enabled_at = pw.DateTimeField()

        class Meta:
            table_name = "two_factor"

    @migrator.create_model
    class RecoveryCode(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        code_hash = pw.CharField(max_length=64, unique=True)
        used_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "recovery_code"

    @migrator.create_model
    class TrustedDevice(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        token_hash = pw.CharField(max_length=64, unique=True)
        expires_at = pw.DateTimeField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "trusted_device"

    @migrator.create_model
    class EmailChange(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        new_email = pw.CharField(max_length=254)
        token_hash = pw.CharField(max_length=64, unique=True)
        expires_at = pw.DateTimeField()
        used_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "email_change"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("email_change")
    migrator.remove_model("trusted_device")
    migrator.remove_model("recovery_code")
    migrator.remove_model("two_factor")
