"""The `rmtrainer` console script: one click group, commands registered from trainer.commands."""
import click

from trainer.commands.grade import grade_command
from trainer.commands.scenarios import scenarios_group
from trainer.commands.serve import serve_command
from trainer.commands.users import users_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """RM Trainer: practise difficult bank customers, graded on four dimensions."""


main.add_command(grade_command)
main.add_command(users_group)
main.add_command(serve_command)
main.add_command(scenarios_group)
