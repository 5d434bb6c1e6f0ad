"""The `rmtrainer` console script: one click group, commands registered from trainer.commands."""
import click

from trainer.commands.grade import grade_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """RM Trainer: practise difficult bank customers, graded on four dimensions."""


main.add_command(grade_command)

try:  # the scenarios commands arrive with the scenario library
    from trainer.commands.scenarios import scenarios_group
    main.add_command(scenarios_group)
except ImportError:  # pragma: no cover - only while scenarios/ is being built
    pass
