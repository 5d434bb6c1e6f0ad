"""Login and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username and password."""
    username = StringField(_l("Username"), validators=[DataRequired(_l("Please enter your username")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password")), Length(max=128)])
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Please enter your current password")), Length(max=128)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Please enter a new password")), Length(max=128)])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Please enter the new password again")),
        EqualTo("new", _l("The two new passwords differ"))])
    submit = SubmitField(_l("Change password"))
