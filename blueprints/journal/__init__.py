"""The between-session journal: the client writes (private unless shared), the coach prepares
sessions from what was shared, asks prompts and replies. Routes in views.py (the client's) and
coach_views.py (the coach's), writes in service.py, reads in context.py and search.py, pure
helpers in timeline.py and tags.py."""


def init_app(app):
    # Imported here, not at module level: `models.py` imports this package for its models only.
    from blueprints.journal import coach_views, views
    from blueprints.journal.prep_email import send_due_prep_emails
    from blueprints.journal.service import purge_deleted

    app.register_blueprint(views.bp)
    app.register_blueprint(coach_views.bp)
    # The save views check the form's own CSRF token, so an expired one re-renders the text
    # instead of an error page (see views.expired_only); autosave checks it by hand.
    csrf = app.extensions["csrf"]
    for view in (views.create, views.update, views.autosave):
        csrf.exempt(view)
    tasks = app.extensions.setdefault("worker_tasks", [])
    tasks.append(("journal", purge_deleted))
    tasks.append(("session prep", send_due_prep_emails))
