"""`rmtrainer retention apply`: delete training records (and, on a longer clock, audit events)
older than a number of days, against the configured database."""
from __future__ import annotations

import click

from trainer.commands.users import _app_context
from trainer.services.retention import MAX_DAYS


@click.group("retention")
def retention_group():
    """Data retention: delete old training records and audit events."""


@retention_group.command("apply")
@click.option("--days", type=click.IntRange(min=1, max=MAX_DAYS), required=True,
              help="Delete attempts (with their turns and coach grades) last active more than this many days ago.")
@click.option("--audit-days", type=click.IntRange(min=1, max=MAX_DAYS), default=None,
              help="Also delete audit events older than this many days (default: keep them all).")
def apply_command(days: int, audit_days: int | None):
    """Delete records older than --days (audit events older than --audit-days); prints what went."""
    from trainer.services.retention import apply_retention
    with _app_context():
        deleted = apply_retention(days, audit_days)
    click.echo(f"deleted {deleted['attempts']} attempts, {deleted['turns']} turns and "
               f"{deleted['overrides']} coach grades last active more than {days} days ago")
    if audit_days:
        click.echo(f"deleted {deleted['audit_events']} audit events older than {audit_days} days")
    else:
        click.echo("audit events kept (no --audit-days)")
