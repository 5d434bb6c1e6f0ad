"""Fixtures for the scenario tests."""
import pytest

from scenarios import load_library


@pytest.fixture(scope="session")
def library():
    """Every scenario of the packaged library, by id."""
    return load_library()
