import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Home-visit photos go to a throwaway folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
