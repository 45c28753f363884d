"""003 — the journal: prompt library, energy and undo on entries, tags, comments' companions
(assignments, drafts, saves held across a sign-in) and the full-text index.

Full-text search has one interface (blueprints/journal/search.py) over two indexes:
SQLite gets an FTS5 table kept in step by triggers; PostgreSQL a GIN index on the same
to_tsvector() expression the search uses.
"""
import peewee as pw
from peewee_migrate import Migrator

# Must match blueprints/journal/search.py exactly (PostgreSQL only uses an index for the same expression).
PG_DOCUMENT = "to_tsvector('english', prompt || ' ' || body || ' ' || tags)"


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class JournalPrompt(pw.Model):
        id = pw.AutoField()
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        text = pw.CharField(max_length=300)
        seed_key = pw.CharField(max_length=20, null=True)
        retired_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "journal_prompt"
            indexes = [(('coach', 'seed_key'), True)]

    migrator.add_fields(
        'journal_entry',
        prompt_source=pw.ForeignKeyField(column_name='prompt_source_id', field='id', model=migrator.orm['journal_prompt'],
                                         null=True, on_delete='SET NULL'),
        energy=pw.SmallIntegerField(null=True),
        deleted_at=pw.DateTimeField(null=True),
    )
    migrator.add_index('journal_entry', 'client', 'created_at', 'id')

    @migrator.create_model
    class JournalTag(pw.Model):
        id = pw.AutoField()
        entry = pw.ForeignKeyField(column_name='entry_id', field='id', model=migrator.orm['journal_entry'], on_delete='CASCADE')
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        name = pw.CharField(max_length=40)

        class Meta:
            table_name = "journal_tag"
            indexes = [(('entry', 'name'), True), (('client', 'name'), False)]

    @migrator.create_model
    class JournalAssignment(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        coach = pw.ForeignKeyField(column_name='coach_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        prompt = pw.ForeignKeyField(column_name='prompt_id', field='id', model=migrator.orm['journal_prompt'], on_delete='CASCADE')
        assigned_at = pw.DateTimeField()
        cleared_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "journal_assignment"
            indexes = [(('client', 'assigned_at'), False)]

    @migrator.create_model
    class JournalDraft(pw.Model):
        id = pw.AutoField()
        client = pw.ForeignKeyField(column_name='client_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        key = pw.CharField(max_length=40)
        data = pw.TextField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "journal_draft"
            indexes = [(('client', 'key'), True)]

    @migrator.create_model
    class JournalHeldSave(pw.Model):
        id = pw.AutoField()
        token_hash = pw.CharField(max_length=64, unique=True)
        target = pw.CharField(max_length=20)
        data = pw.TextField()
        trusted = pw.BooleanField(default=False)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "journal_held_save"

    add_search_index(migrator, database)


def add_search_index(migrator, database):
    if isinstance(database, pw.PostgresqlDatabase):
        migrator.sql(f"CREATE INDEX journal_entry_search ON journal_entry USING GIN ({PG_DOCUMENT})")
        return
    migrator.sql(
        "CREATE VIRTUAL TABLE journal_entry_fts USING fts5(prompt, body, tags, content='journal_entry', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")
    migrator.sql(
        "CREATE TRIGGER journal_entry_fts_insert AFTER INSERT ON journal_entry BEGIN "
        "INSERT INTO journal_entry_fts(rowid, prompt, body, tags) VALUES (new.id, new.prompt, new.body, new.tags); END")
    migrator.sql(
        "CREATE TRIGGER journal_entry_fts_delete AFTER DELETE ON journal_entry BEGIN "
        "INSERT INTO journal_entry_fts(journal_entry_fts, rowid, prompt, body, tags) "
        "VALUES ('delete', old.id, old.prompt, old.body, old.tags); END")
    migrator.sql(
        "CREATE TRIGGER journal_entry_fts_update AFTER UPDATE OF prompt, body, tags ON journal_entry BEGIN "
        "INSERT INTO journal_entry_fts(journal_entry_fts, rowid, prompt, body, tags) "
        "VALUES ('delete', old.id, old.prompt, old.body, old.tags); "
        "INSERT INTO journal_entry_fts(rowid, prompt, body, tags) VALUES (new.id, new.prompt, new.body, new.tags); END")
    migrator.sql("INSERT INTO journal_entry_fts(journal_entry_fts) VALUES ('rebuild')")


def drop_search_index(migrator, database):
    if isinstance(database, pw.PostgresqlDatabase):
        migrator.sql("DROP INDEX IF EXISTS journal_entry_search")
        return
    for trigger in ("insert", "delete", "update"):
        migrator.sql(f"DROP TRIGGER IF EXISTS journal_entry_fts_{trigger}")
    migrator.sql("DROP TABLE IF EXISTS journal_entry_fts")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    drop_search_index(migrator, database)
    migrator.remove_model('journal_held_save')
    migrator.remove_model('journal_draft')
    migrator.remove_model('journal_assignment')
    migrator.remove_model('journal_tag')
    migrator.drop_index('journal_entry', 'client', 'created_at', 'id')
    migrator.remove_fields('journal_entry', 'prompt_source', 'energy', 'deleted_at')
    migrator.remove_model('journal_prompt')
