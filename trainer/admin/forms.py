"""Forms of the admin pages; every POST carries a CSRF token (Flask-WTF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from trainer.models import ROLES


class RoleForm(FlaskForm):
    """Change one user's role."""
    role = SelectField(_l("Role"), choices=[SelectChoice(r, _l(r)) for r in ROLES], validators=[DataRequired()])
    submit = SubmitField(_l("Change role"))


class ActionForm(FlaskForm):
    """A bare POST with CSRF (unlock an account)."""
    submit = SubmitField()


class DeleteDataForm(FlaskForm):
    """Confirm deleting a trainee's data by typing the username."""
    confirm = StringField(_l("Type the username to confirm"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete this trainee's data"))
