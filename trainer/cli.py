"""The `rmtrainer` console script: one click group; each command's module is imported only when
that command runs (or `--help` lists them), so `rmtrainer grade` never loads the web and
database stack, and the database commands never load the grader."""
import importlib
import sys

import click

# command name -> "module:object"; `rmtrainer --help` lists them in name order, as click does.
COMMANDS = {
    "grade": "trainer.commands.grade:grade_command",
    "db": "trainer.commands.db:db_group",
    "users": "trainer.commands.users:users_group",
    "serve": "trainer.commands.serve:serve_command",
    "scenarios": "trainer.commands.scenarios:scenarios_group",
    "retention": "trainer.commands.retention:retention_group",
    "corpus": "trainer.commands.corpus:corpus_group",
    "model": "trainer.commands.corpus:model_group",
}


class RMTrainerGroup(click.Group):
    """The command group: commands loaded lazily (click's documented LazyGroup pattern); an
    unmigrated or unreachable database is a clear one-line error, not a traceback."""

    def list_commands(self, ctx):
        """Every command's name, eager ones and lazy ones, in name order."""
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx, cmd_name):
        """The command, importing its module on first use."""
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(module), name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as e:
            message = _database_error(e)
            if message is None:
                raise
            raise click.ClickException(message) from None


def _database_error(e: Exception) -> str | None:
    """The one-line message for a database that is unmigrated or unreachable; None for other errors."""
    if "sqlalchemy" not in sys.modules:   # the command never loaded the database stack: not its error
        return None
    from sqlalchemy.exc import InterfaceError, OperationalError

    from trainer.schema import SchemaError
    if isinstance(e, SchemaError):
        return str(e)
    if isinstance(e, (OperationalError, InterfaceError)):
        # the database went away (or never answered): the driver's first line, no traceback
        reason = (str(e.orig or e).strip().splitlines() or [type(e).__name__])[0]
        return f"cannot reach the database: {reason}"
    return None


@click.group(cls=RMTrainerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rmtrainer", prog_name="rmtrainer", message="%(prog)s %(version)s")
def main():
    """RM Trainer: practise difficult bank customers, graded on four dimensions."""
