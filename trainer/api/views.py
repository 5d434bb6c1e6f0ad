"""JSON API v1 (being built)."""
from flask import Blueprint

bp = Blueprint("api", __name__)
