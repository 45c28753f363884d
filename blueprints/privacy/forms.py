"""Forms of the privacy pages: deleting an account, the coach's choice about their notes."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import DataRequired, InputRequired

from blueprints.account.forms import current_password_field
from blueprints.privacy.models import DELETE, KEEP


class DeleteAccountForm(FlaskForm):
    password = current_password_field()
    understood = BooleanField("I understand: after 7 days my journal, goals and sessions' details are erased for good",
                              validators=[DataRequired("Tick the box to show you understand.")])


class NotesDecisionForm(FlaskForm):
    decision = RadioField("Your private notes about this client", choices=[
        (KEEP, "Keep my notes"), (DELETE, "Delete my notes")],
        validators=[InputRequired("Choose whether to keep or delete your notes.")])
