"""`rmtrainer corpus export` and `rmtrainer model train`: grow the grader's corpus from the turns
coaches reviewed, and retrain the grader's models on it in one command."""
from __future__ import annotations

import click

from trainer.commands.users import _app_context


@click.group("corpus")
def corpus_group():
    """The grader's training corpus."""


@corpus_group.command("export")
@click.option("-o", "--output", "folder", default="corpus-export", show_default=True,
              help="Folder for the situation files (corpus format).")
def export_command(folder: str):
    """Write the turns coaches reviewed (coach scores as labels, names removed) as corpus files."""
    from trainer.services.corpus_export import export_situations, write_situations
    with _app_context():
        situations = export_situations()
    paths = write_situations(situations, folder)
    pairs = sum(len(c["replies"]) for s in situations.values() for c in s["customers"])
    click.echo(f"wrote {pairs} reviewed turns in {len(paths)} situation files to {folder}/")
    click.echo(f"retrain with: rmtrainer model train --extra {folder}")


@click.group("model")
def model_group():
    """The grader's learned models."""


@model_group.command("train")
@click.option("--extra", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="Another corpus folder to train on (e.g. from `rmtrainer corpus export`).")
@click.option("--out", default=None, help="Where to write the models (default: the grader's models folder).")
def train_command(extra, out):
    """Retrain the grader's models from the corpus (needs: pip install 'rmtrainer[train]')."""
    try:
        from grading.training.train import main as train
    except ImportError as e:
        raise click.ClickException(f"training needs scikit-learn: pip install 'rmtrainer[train]' ({e})") from None
    argv = [a for folder in extra for a in ("--extra", folder)] + (["--out", out] if out else [])
    raise SystemExit(train(argv))
