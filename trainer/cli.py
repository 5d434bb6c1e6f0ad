"""The `rmtrainer` console script: one click group, commands registered from trainer.commands."""
import click

from trainer.commands.corpus import corpus_group, model_group
from trainer.commands.db import db_group
from trainer.commands.grade import grade_command
from trainer.commands.retention import retention_group
from trainer.commands.scenarios import scenarios_group
from trainer.commands.serve import serve_command
from trainer.commands.users import users_group


class RMTrainerGroup(click.Group):
    """The command group; an unmigrated or unreachable database is a clear one-line error, not a traceback."""

    def invoke(self, ctx):
        from sqlalchemy.exc import InterfaceError, OperationalError
        from trainer.schema import SchemaError
        try:
            return super().invoke(ctx)
        except SchemaError as e:
            raise click.ClickException(str(e)) from None
        except (OperationalError, InterfaceError) as e:
            # the database went away (or never answered): the driver's first line, no traceback
            reason = (str(e.orig or e).strip().splitlines() or [type(e).__name__])[0]
            raise click.ClickException(f"cannot reach the database: {reason}") from None


@click.group(cls=RMTrainerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rmtrainer", prog_name="rmtrainer", message="%(prog)s %(version)s")
def main():
    """RM Trainer: practise difficult bank customers, graded on four dimensions."""


main.add_command(grade_command)
main.add_command(db_group)
main.add_command(users_group)
main.add_command(serve_command)
main.add_command(scenarios_group)
main.add_command(retention_group)
main.add_command(corpus_group)
main.add_command(model_group)
