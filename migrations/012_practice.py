"""012 — a practice with several coaches.

CoachProfile.is_admin: the admin edits the practice and invites coaches; the first coach of an
existing install becomes it. SlugRedirect: a coach's earlier page addresses, answered with a 301.
Practice: the practice's name and a line about it (one row). CoachInvitation: an emailed,
expiring, single-use link that lets a new coach set their password.
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields("coach_profile", is_admin=pw.BooleanField(default=False))
    migrator.sql("UPDATE coach_profile SET is_admin = TRUE WHERE id = (SELECT MIN(id) FROM coach_profile)")

    @migrator.create_model
    class SlugRedirect(pw.Model):
        id = pw.AutoField()
        old_slug = pw.CharField(max_length=60, unique=True)
        profile = pw.ForeignKeyField(column_name="profile_id", field="id", model=migrator.orm["coach_profile"],
                                     on_delete="CASCADE")
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "slug_redirect"

    @migrator.create_model
    class Practice(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=120)
        about = pw.CharField(max_length=300, default="")
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "practice"

    @migrator.create_model
    class CoachInvitation(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(max_length=254)
        name = pw.CharField(max_length=120)
        token_hash = pw.CharField(max_length=64, unique=True)
        invited_by = pw.ForeignKeyField(column_name="invited_by_id", field="id", model=migrator.orm["user"],
                                        on_delete="CASCADE")
        expires_at = pw.DateTimeField()
        accepted_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "coach_invitation"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("coach_invitation")
    migrator.remove_model("practice")
    migrator.remove_model("slug_redirect")
    migrator.remove_fields("coach_profile", "is_admin")
