from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from blueprints.clients.forms import clean_text
from web.forms import email_field, zone_field


class PageSettingsForm(FlaskForm):
    name = StringField("Your name, as visitors see it", validators=[DataRequired("Enter your name."), Length(max=120)])
    headline = StringField("Headline", validators=[DataRequired("Write a short headline."), Length(max=200)])
    intro_markdown = TextAreaField("About you and your coaching", validators=[
        DataRequired("Write a few words for your visitors."), Length(max=20000)])
    timezone = zone_field()
    bio = TextAreaField("Short bio", filters=[clean_text], validators=[Length(max=1500)])
    credentials = TextAreaField("Credentials", filters=[clean_text], validators=[Length(max=1000)])
    testimonial_1_quote = TextAreaField("First testimonial", filters=[clean_text], validators=[Length(max=600)])
    testimonial_1_by = StringField("First testimonial: who said it", validators=[Length(max=120)])
    testimonial_2_quote = TextAreaField("Second testimonial", filters=[clean_text], validators=[Length(max=600)])
    testimonial_2_by = StringField("Second testimonial: who said it", validators=[Length(max=120)])
    sender_name = StringField("Sender name on emails", validators=[Length(max=120)])

    def validate_testimonial_1_by(self, field):
        _needs_quote(self.testimonial_1_quote, field)

    def validate_testimonial_2_by(self, field):
        _needs_quote(self.testimonial_2_quote, field)

    def validate_sender_name(self, field):
        if any(c in (field.data or "") for c in '<>@"'):
            raise ValidationError("Use a plain name, without an address or < > @ or \".")


def _needs_quote(quote, attribution):
    if (attribution.data or "").strip() and not (quote.data or "").strip():
        raise ValidationError("Add the quote too, or leave both empty.")


class PhotoForm(FlaskForm):
    photo = FileField("Photo", validators=[FileRequired("Choose a photo to upload.")])


class PrepEmailForm(FlaskForm):
    prep_email = BooleanField("Session prep by email")


class NewClientForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter the client's name."), Length(max=120)])
    email = email_field("Enter the client's email.")
    note = TextAreaField("Welcome note (optional)", filters=[clean_text], validators=[Length(max=2000)])

    def validate_email(self, field):
        from blueprints.auth.models import User
        if User.by_email(field.data):
            raise ValidationError("There is already an account with this email.")


def lower_stripped(value):
    return (value or "").strip().lower()


class PageAddressForm(FlaskForm):
    """The coach's page address, /coaches/<slug>; whether it is free is the service's to say."""
    slug = StringField("Your page address", filters=[lower_stripped],
                       validators=[DataRequired("Choose an address for your page.")])

    def validate_slug(self, field):
        from blueprints.auth.slugs import slug_problem
        if problem := slug_problem(field.data):
            raise ValidationError(problem)


class HandoverForm(FlaskForm):
    """Hand the client to another coach of the practice (choices: those coaches)."""
    coach = SelectField("Hand over to", coerce=int, validate_choice=False)
    message = TextAreaField("A note for them both (optional)", filters=[clean_text], validators=[Length(max=2000)])

    @classmethod
    def for_coaches(cls, profiles, **kwargs):
        form = cls(prefix="handover", **kwargs)  # its ids must not meet other forms' on the client page
        form.coach.choices = [(p.user_id, p.user.name) for p in profiles]
        return form
