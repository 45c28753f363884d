"""The coach's side of the journal: the prompt library, asking a client to think about one,
and replying to shared entries from the session prep on the client's page."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.auth.models import User
from blueprints.journal import service
from blueprints.journal.context import coach_prep_context, reply_form
from blueprints.journal.forms import AssignForm, PromptForm
from blueprints.journal.models import JournalEntry, JournalPrompt
from blueprints.journal.prompts import ensure_library
from web import coach_required, hx_redirect, or_404, owned, render

bp = Blueprint("journal_coach", __name__)


def own_client(client_id):
    return or_404(User.get_or_none((User.id == client_id) & (User.coach == current_user.id)))


@bp.route("/coach/prompts", methods=["GET", "POST"])
@coach_required
def prompts():
    ensure_library(current_user.id)
    form = PromptForm()
    if form.validate_on_submit():
        service.add_prompt(current_user.id, form.data["text"])
        flash("Prompt added to your library.", "success")
        return hx_redirect("journal_coach.prompts")
    return render("journal/prompts.html", block="library", form=form,
                  prompts=list(JournalPrompt.library(current_user.id)), status=422 if form.errors else 200)


@bp.route("/coach/prompts/<int:prompt_id>", methods=["GET", "POST"])
@coach_required
def prompt(prompt_id):
    """One prompt: its row, or (GET ?edit / POST) the form to reword it — in place under htmx."""
    item = owned(JournalPrompt, prompt_id)
    form = PromptForm(obj=item, prefix=f"prompt-{item.id}")
    if form.validate_on_submit():
        service.edit_prompt(item, form.data["text"])
        flash("Prompt updated.", "success")
        if request.htmx:
            return render("journal/prompt.html", block="row", item=item, editing=False)
        return redirect(url_for("journal_coach.prompts"), 303)
    editing = request.method == "POST" or "edit" in request.args
    return render("journal/prompt.html", block="row" if request.htmx else "content", item=item, form=form,
                  editing=editing, status=422 if form.errors else 200)


@bp.route("/coach/prompts/<int:prompt_id>/retire", methods=["POST"])
@coach_required
def retire(prompt_id):
    item = owned(JournalPrompt, prompt_id)
    retiring = request.form.get("retired") != "0"
    service.retire_prompt(item, retired=retiring)
    flash("Prompt retired: clients no longer see it." if retiring else "Prompt back in use.", "success")
    if request.htmx:
        return render("journal/prompt.html", block="row", item=item, editing=False)
    return redirect(url_for("journal_coach.prompts"), 303)


def prep_fragment(client, status=200, replace_reply=None, **overrides):
    context = coach_prep_context(current_user.id, client)
    context.update(overrides)
    if replace_reply:  # the reply that failed validation, with its text and message
        context["prep_comment_forms"][replace_reply[0]] = replace_reply[1]
    return render_template("journal/_coach_prep.html", client=client, **context), status


@bp.route("/coach/clients/<int:client_id>/journal/assign", methods=["POST"])
@coach_required
def assign(client_id):
    client = own_client(client_id)
    form = AssignForm(prefix="assign")
    form.set_prompts(JournalPrompt.active(current_user.id))
    if not form.validate_on_submit():
        return prep_fragment(client, 422, prep_assign_form=form)
    chosen = JournalPrompt.get_by_id(int(form.prompt.data)) if form.prompt.data else None
    service.assign_prompt(current_user.id, client, chosen)
    first = client.name.split()[0]
    flash(f"{first} will see this prompt on their home page and journal." if chosen
          else f"No prompt asked of {first} for now.", "success")
    if request.htmx:
        return prep_fragment(client)
    return redirect(url_for("coach.client_detail", client_id=client.id) + "#prep", 303)


@bp.route("/coach/clients/<int:client_id>/journal/<int:entry_id>/comments", methods=["POST"])
@coach_required
def comment(client_id, entry_id):
    client = own_client(client_id)
    # Only an entry the client shares with this coach can be replied to (or even found).
    entry = or_404(JournalEntry.shared_by(client, current_user.id).where(JournalEntry.id == entry_id).first())
    form = reply_form(entry.id, formdata=request.form)
    if not form.validate_on_submit():
        return prep_fragment(client, 422, replace_reply=(entry.id, form))
    link = current_app.config["SITE_URL"] + url_for("journal.show", entry_id=entry.id)
    service.add_comment(current_user._get_current_object(), entry, form.body.data, link,
                        current_app.config["SITE_NAME"])
    flash(f"Reply sent. {client.name.split()[0]} gets an email saying you replied.", "success")
    if request.htmx:
        return prep_fragment(client)
    return redirect(url_for("coach.client_detail", client_id=client.id) + f"#prep-entry-{entry.id}", 303)
