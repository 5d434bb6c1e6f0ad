"""`rmtrainer serve`: run the web app (with --demo: SQLite and demo accounts)."""
from __future__ import annotations

import click


@click.command("serve")
@click.option("--demo", is_flag=True, help="Create demo accounts and data, and print how to log in.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
def serve_command(demo: bool, host: str, port: int):
    """Run the web app on this machine (in production: `gunicorn -c gunicorn.conf.py`, see docs/deployment.md)."""
    from trainer.app import create_app
    # The embedded SQLite demo migrates itself; a production database is upgraded explicitly.
    overrides = {"AUTO_MIGRATE": demo}
    if host in ("127.0.0.1", "localhost", "::1"):
        # Plain http on this machine only: Secure cookies would never be sent back.
        overrides.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    app = create_app(overrides)
    if demo:
        from trainer.services.demo import PASSWORD, seed_demo
        with app.app_context():
            people = seed_demo()
        click.echo(f"RM Trainer demo on http://{host}:{port}/  (database: {app.config['SQLALCHEMY_DATABASE_URI']})")
        click.echo(f"Log in with any of these accounts, password '{PASSWORD}':")
        for username, role in people:
            click.echo(f"  {username:<10} {role}")
    app.run(host=host, port=port, debug=False, use_reloader=False)
