"""Forms of the coach pages; every one carries a CSRF token (Flask-WTF)."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from trainer.models import DIMENSIONS
from trainer.services.cohorts import work_choices


class CohortForm(FlaskForm):
    """Create a cohort."""
    name = StringField(_l("Cohort name"), validators=[
        DataRequired(_l("Please give the cohort a name")),
        Length(max=80, message=_l("A cohort name can be at most %(max)d characters", max=80))])
    submit = SubmitField(_l("Create cohort"))


class MemberForm(FlaskForm):
    """Add a trainee to a cohort by username."""
    username = StringField(_l("Trainee's username"), validators=[
        DataRequired(_l("Please enter the trainee's username")), Length(max=64)])
    submit = SubmitField(_l("Add trainee"))


class BulkMemberForm(FlaskForm):
    """Add many trainees: usernames pasted (one a line or comma-separated) or a CSV file's first column."""
    usernames = TextAreaField(_l("Usernames (one per line, or separated by commas)"),
                              validators=[Length(max=20_000)])
    file = FileField(_l("…or a CSV file (usernames in the first column)"))
    submit = SubmitField(_l("Add these trainees"))


class ActionForm(FlaskForm):
    """A bare POST with CSRF (remove a trainee)."""
    submit = SubmitField()


class DueDateField(DateField):
    """A date field whose error says what a real date looks like; blank is left to the validators."""

    def process_formdata(self, valuelist):
        """Parse YYYY-MM-DD; an impossible date (2026-02-30) is an error that names the format."""
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("“%(value)s” is not a real date; use YYYY-MM-DD", value=" ".join(valuelist)))


class AssignForm(FlaskForm):
    """Assign a track or one scenario to a cohort, with a mode and a due date."""
    work = SelectField(_l("Track or scenario"), validate_choice=False,
                       validators=[InputRequired(_l("Choose a track or a scenario"))])
    mode = SelectField(_l("Mode"), choices=[SelectChoice("practice", _l("practice")),
                                            SelectChoice("exam", _l("exam"))], default="practice")
    due = DueDateField(_l("Due date"))
    submit = SubmitField(_l("Assign"))

    def __init__(self, *args, locale: str = "zh", today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or date.today()
        options = work_choices(locale)
        groups = {"tracks": str(_l("Tracks")), "scenarios": str(_l("Scenarios"))}
        self.work.choices = [SelectChoice(value, label, optgroup=groups[kind])
                             for kind, items in options.items() for value, label in items]
        self._values = {v for group in options.values() for v, _ in group}

    def validate_work(self, field):
        """Only what the library offers can be assigned."""
        if field.data not in self._values:
            raise ValidationError(_l("Choose a track or a scenario from the list"))

    def validate_due(self, field):
        """A due date is required, and cannot be in the past."""
        if field.data is None:
            if not field.errors:
                raise ValidationError(_l("Please choose a due date"))
            return
        if field.data < self.today:
            raise ValidationError(_l("%(day)s is in the past; choose today or a later date",
                                     day=field.data.isoformat()))


class ScoreField(IntegerField):
    """A 0–100 score whose error says so, instead of WTForms' generic integer message."""

    def process_formdata(self, valuelist):
        """Parse a whole number."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("A score must be a whole number from 0 to 100"))


def _score(label):
    return ScoreField(label, validators=[
        InputRequired(_l("Please give a score from 0 to 100")),
        NumberRange(0, 100, message=_l("A score must be a whole number from 0 to 100"))])


class OverrideForm(FlaskForm):
    """A coach's grade of one turn: the four scores and why."""
    etiquette = _score(_l("Etiquette 礼仪化"))
    structure = _score(_l("Structure 结构化"))
    empathy = _score(_l("Empathy 同理心"))
    compliance = _score(_l("Compliance 合规"))
    comment = TextAreaField(_l("Comment"), validators=[
        DataRequired(_l("Please say why you changed the grade")),
        Length(max=1000, message=_l("A comment can be at most %(max)d characters", max=1000))])
    submit = SubmitField(_l("Save coach grade"))

    def scores(self) -> dict:
        """The four scores as entered."""
        return {d: self[d].data for d in DIMENSIONS}


class TraineeFilterForm(FlaskForm):
    """The trainee page's filters, read from the query string (a GET form: no CSRF token)."""
    class Meta:
        csrf = False

    scenario = SelectField(_l("Scenario"), validate_choice=False, default="")
    first = DueDateField(_l("From"))
    last = DueDateField(_l("To"))
    submit = SubmitField(_l("Filter"))

    def __init__(self, *args, scenarios: list = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.scenario.choices = [("", str(_l("All scenarios")))] + list(scenarios)
        self._ids = {value for value, _ in scenarios}

    def validate_scenario(self, field):
        """Only a scenario the trainee has played can be chosen."""
        if field.data and field.data not in self._ids:
            raise ValidationError(_l("Choose a scenario from the list"))

    def validate_last(self, field):
        """The range must not end before it starts."""
        if field.data and self.first.data and field.data < self.first.data:
            raise ValidationError(_l("The end date is before the start date"))
