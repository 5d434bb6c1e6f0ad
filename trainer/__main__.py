"""`python -m trainer` runs the `rmtrainer` command from this checkout (handy in a git worktree)."""
from trainer.cli import main

main(prog_name="rmtrainer")
