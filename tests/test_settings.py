"""Settings: production passes `check --deploy`; the environment is read in one place."""

import os
import subprocess
import sys

from django.conf import settings


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "khru.manage", "check", "--deploy", "--fail-level", "WARNING"],
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment never has it.
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = run_check(
        {
            "DJANGO_SETTINGS_MODULE": "khru.config.production",
            "SECRET_KEY": "k" * 20 + "x9!Qz" * 10,
            "DEBUG": "",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check({"DJANGO_SETTINGS_MODULE": "khru.config.production", "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_sessions_expire_and_thai_comes_first():
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.LANGUAGE_CODE == "th" and settings.LANGUAGES[0][0] == "th"
