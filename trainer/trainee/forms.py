"""Forms of the trainee pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length


class StartForm(FlaskForm):
    """Start a scenario in practice or exam mode."""
    scenario_id = HiddenField(validators=[DataRequired()])
    track_id = HiddenField()
    assignment_id = HiddenField()
    # 再练一次: the id of one's own practice attempt whose customer (scenario, seed, track) to meet again
    again_of = HiddenField()
    # The catalogue renders its own <select>; the field only validates what comes back.
    mode = StringField(_l("Mode"), default="practice",
                       validators=[AnyOf(["practice", "exam"], message=_l("Mode must be practice or exam"))])
    submit = SubmitField(_l("Start"))


class ReplyForm(FlaskForm):
    """The trainee's reply to the customer's line."""
    reply = TextAreaField(_l("Your reply"), validators=[
        DataRequired(_l("Please type your reply to the customer")),
        Length(max=2000, message=_l("A reply can be at most %(max)d characters", max=2000))])
    # The turn this reply answers: a second click (or a stale tab) is recognised, not stored twice.
    turn = HiddenField()
    submit = SubmitField(_l("Send reply"))


class ActionForm(FlaskForm):
    """A bare POST with CSRF (retry a turn, log out)."""
    submit = SubmitField()
