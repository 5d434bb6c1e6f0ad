"""Anonymised accounts are renamed deleted-<id>: the prefix is reserved for them, and deleting a
trainee still works when an older account already holds deleted-<id>."""
from __future__ import annotations

import pytest

from trainer.extensions import db
from trainer.models import User
from trainer.services.users import UserError, create_user, delete_user_data


def test_the_deleted_prefix_is_reserved(app):
    with pytest.raises(UserError, match="reserved for deleted accounts"):
        create_user("deleted-2", "a-sound-passphrase")
    with pytest.raises(UserError, match="reserved"):
        create_user("Deleted-7", "a-sound-passphrase")


def test_deleting_user_n_works_when_a_user_named_deleted_n_exists(app, make_user):
    amy = make_user("amy")
    squatter = User(username=f"deleted-{amy.id}", password_hash="x")   # made before the prefix was reserved
    db.session.add(squatter)
    db.session.commit()
    counts = delete_user_data(amy)
    assert counts["attempts"] == 0
    anonymised = db.session.get(User, amy.id)
    assert anonymised.username.startswith(f"deleted-{amy.id}-") and not anonymised.is_active
    assert db.session.get(User, squatter.id).username == f"deleted-{amy.id}"
