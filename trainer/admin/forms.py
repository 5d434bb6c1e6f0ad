"""Forms of the admin pages; every POST carries a CSRF token (Flask-WTF)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from trainer.models import ROLES


class RoleForm(FlaskForm):
    """Change one user's role."""
    role = SelectField(_l("Role"), choices=[SelectChoice(r, _l(r)) for r in ROLES], validators=[DataRequired()])
    submit = SubmitField(_l("Change role"))


class ActionForm(FlaskForm):
    """A bare POST with CSRF (unlock, deactivate, reactivate, revoke tokens)."""
    submit = SubmitField()


class DeleteDataForm(FlaskForm):
    """Confirm deleting a trainee's data by typing the username."""
    confirm = StringField(_l("Type the username to confirm"), validators=[DataRequired()])
    submit = SubmitField(_l("Delete this trainee's data"))


class CreateUserForm(FlaskForm):
    """A new account: username, display name, role, an initial password."""
    username = StringField(_l("Username"), validators=[
        DataRequired(_l("Please enter a username")), Length(max=64)])
    display_name = StringField(_l("Display name"), validators=[Length(max=64)])
    role = SelectField(_l("Role"), choices=[SelectChoice(r, _l(r)) for r in ROLES], default="trainee",
                       validators=[DataRequired()])
    password = PasswordField(_l("Initial password"), validators=[
        DataRequired(_l("Please enter an initial password")), Length(max=128)])
    must_change = BooleanField(_l("Must change it at the first login"), default=True)
    submit = SubmitField(_l("Create account"))


class ResetPasswordForm(FlaskForm):
    """A temporary password the user must replace at the next login."""
    password = PasswordField(_l("Temporary password"), validators=[
        DataRequired(_l("Please enter a temporary password")), Length(max=128)])
    submit = SubmitField(_l("Reset password"))
