"""Forms of the journal: writing an entry, searching, and the coach's prompts and comments."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from blueprints.journal.models import ENERGIES, MOODS
from blueprints.journal.tags import TagError, parse_tags

MAX_ENTRY = 50_000
SCALE_ERROR = "Choose a number from 1 to 5, or leave it empty."


def no_nul(value):
    """NUL can't be stored (PostgreSQL refuses it) and is never meant: drop it."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def scale_choices(labels, empty):
    return [("", empty)] + [(str(value), f"{value} · {label}") for value, label in labels.items()]


def one_to_five(form, field):
    if field.data not in ("", None) and field.data not in {str(n) for n in range(1, 6)}:
        raise ValidationError(SCALE_ERROR)


class EntryForm(FlaskForm):
    body = TextAreaField("Entry", filters=[no_nul], validators=[
        DataRequired("Write something before saving."),
        Length(max=MAX_ENTRY, message=f"An entry can hold up to {MAX_ENTRY:,} characters.")])
    prompt_source = SelectField("Prompt you're answering (optional)", choices=[("", "No prompt")],
                                validate_choice=False)
    mood = SelectField("Mood", choices=scale_choices(MOODS, "Not saying"), validate_choice=False,
                       validators=[one_to_five])
    energy = SelectField("Energy", choices=scale_choices(ENERGIES, "Not saying"), validate_choice=False,
                         validators=[one_to_five])
    tags = StringField("Tags", filters=[no_nul], validators=[Length(max=600, message="That is too many tags.")])
    shared = BooleanField("Share with my coach")

    def set_prompts(self, prompts):
        self.prompt_source.choices = [("", "No prompt")] + [(str(p.id), p.text) for p in prompts]

    def validate_prompt_source(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of your coach's prompts, or none.")

    def validate_tags(self, field):
        try:
            parse_tags(field.data)
        except TagError as error:
            raise ValidationError(str(error)) from None

    def values(self):
        """Plain values for the service (and for drafts)."""
        return {
            "body": self.body.data or "",
            "prompt_source": int(self.prompt_source.data) if self.prompt_source.data else None,
            "mood": int(self.mood.data) if self.mood.data else None,
            "energy": int(self.energy.data) if self.energy.data else None,
            "tags": parse_tags(self.tags.data),
            "shared": bool(self.shared.data),
        }


class SearchForm(FlaskForm):
    """A GET form: bookmarkable, no CSRF token needed."""
    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self:  # the writing form on the same page has a Mood too: ids stay unique
            f.id = f.label.field_id = f"search-{f.name}"

    q = StringField("Search your entries", filters=[no_nul], validators=[Optional(), Length(max=200, message="Use fewer words.")])
    tag = SelectField("Tag", choices=[("", "Any tag")], validate_choice=False)
    prompt = SelectField("Prompt", choices=[("", "Any prompt")], validate_choice=False)
    mood = SelectField("Mood", choices=scale_choices(MOODS, "Any mood"), validate_choice=False,
                       validators=[one_to_five])
    since = DateField("From", validators=[Optional()], format="%Y-%m-%d")
    until = DateField("To", validators=[Optional()], format="%Y-%m-%d")

    def validate_since(self, field):
        if field.data and field.data.year < 1900:
            raise ValidationError("Choose a date after 1900.")

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end of the period comes before its start.")

    def validate_prompt(self, field):
        if field.data and not field.data.isdigit():
            raise ValidationError("Choose a prompt from the list.")

    @property
    def active(self):
        return any(f.data for f in (self.q, self.tag, self.prompt, self.mood, self.since, self.until))


class PromptForm(FlaskForm):
    text = StringField("Prompt", filters=[no_nul], validators=[DataRequired("Write the question."),
                                             Length(max=300, message="Keep a prompt under 300 characters.")])


class AssignForm(FlaskForm):
    prompt = SelectField("Ask them to think about", choices=[("", "Nothing for now")], validate_choice=False)

    def set_prompts(self, prompts):
        self.prompt.choices = [("", "Nothing for now")] + [(str(p.id), p.text) for p in prompts]

    def validate_prompt(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose a prompt from your library.")


class CommentForm(FlaskForm):
    body = TextAreaField("Your reply", filters=[no_nul], validators=[
        DataRequired("Write a reply first."), Length(max=5000, message="Keep a reply under 5,000 characters.")])
