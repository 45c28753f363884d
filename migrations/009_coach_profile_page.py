"""009 — what the coach's public page and emails say about them.

CoachProfile: bio, credentials (one per line), two testimonials (quote + attribution), the
photo's digest (its sizes are CoachPhoto rows: cleaned JPEGs kept in the database), the sender
name for emails sent on the coach's behalf, and when the coach last opened their bookings.
OutboxMessage: reply_to and from_name, so the worker sends each message as the coach's.
"""
import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        "coach_profile",
        bio=pw.TextField(default=""),
        credentials=pw.TextField(default=""),
        testimonial_1_quote=pw.TextField(default=""),
        testimonial_1_by=pw.CharField(max_length=120, default=""),
        testimonial_2_quote=pw.TextField(default=""),
        testimonial_2_by=pw.CharField(max_length=120, default=""),
        photo_digest=pw.CharField(max_length=64, default=""),
        sender_name=pw.CharField(max_length=120, default=""),
        bookings_seen_at=pw.DateTimeField(null=True),
    )
    migrator.add_fields(
        "outbox_message",
        reply_to=pw.CharField(max_length=254, default=""),
        from_name=pw.CharField(max_length=120, default=""),
    )

    @migrator.create_model
    class CoachPhoto(pw.Model):
        id = pw.AutoField()
        profile = pw.ForeignKeyField(column_name="profile_id", field="id", model=migrator.orm["coach_profile"],
                                     on_delete="CASCADE")
        size = pw.CharField(max_length=10)
        data = pw.BlobField()
        width = pw.IntegerField()
        height = pw.IntegerField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "coach_photo"
            indexes = ((("profile", "size"), True),)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("coach_photo")
    migrator.remove_fields("outbox_message", "reply_to", "from_name")
    migrator.remove_fields("coach_profile", "bio", "credentials", "testimonial_1_quote", "testimonial_1_by",
                           "testimonial_2_quote", "testimonial_2_by", "photo_digest", "sender_name",
                           "bookings_seen_at")
