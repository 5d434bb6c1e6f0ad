"""Gunicorn settings for RM Trainer from a checkout: `gunicorn -c gunicorn.conf.py`.

The settings themselves live in the package (trainer/gunicorn_conf.py), so an installed wheel
has them too: `gunicorn -c python:trainer.gunicorn_conf` (see docs/deployment.md).
"""
from trainer.gunicorn_conf import *  # noqa: F401,F403  (every setting and hook, unchanged)
