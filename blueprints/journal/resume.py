"""Making a save that was held while its writer signed in again (see views.hold_and_sign_in)."""
from flask import flash, make_response, redirect, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from blueprints.journal import service
from blueprints.journal.context import entry_form, journal_page
from blueprints.journal.forms import SearchForm
from blueprints.journal.models import JournalComment, JournalEntry
from blueprints.journal.search import Filters
from web import render


def resume_held_save(token, cookie_name):
    row = service.take_held_save(token)
    if row is None:
        response = make_response(redirect(url_for("journal.index"), 303))
    else:
        response = make_response(_resume(row))
    response.delete_cookie(cookie_name, path="/journal")
    return response


def _resume(row):
    values = row.values
    formdata = MultiDict({k: v for k, v in values.items() if k != "shared" or v})
    entry = JournalEntry.owned(current_user.id, int(row.target)) if row.target.isdigit() else None
    form = entry_form(current_user, entry=entry, formdata=formdata, csrf=False)
    # Only a save sent from our own pages is made without asking: a link from elsewhere can
    # never put words into someone's journal.
    if row.trusted and form.validate():
        if entry is not None:
            service.update_entry(entry, current_user, form.values())
        else:
            entry = service.create_entry(current_user, form.values())
        flash("Welcome back. Your entry is saved.", "success")
        return redirect(url_for("journal.show", entry_id=entry.id), 303)
    flash("We kept what you wrote. Check it and press Save to keep it.", "info")
    if entry is not None:
        return render("journal/entry.html", entry=entry, editing=True, form=form,
                      comments=JournalComment.on_entries([entry.id]), status=200)
    context = journal_page(current_user, Filters(), form=form)
    return render("journal/index.html", search=SearchForm(formdata=None), status=200, **context)
