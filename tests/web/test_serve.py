"""The production server as `make demo` and a deployment run it: `khru serve`, static files by whitenoise,
and the rate limits shared by every worker process when Redis is configured."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

KHRU = str(Path(sys.executable).with_name("khru"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    return response


def test_khru_serve_answers_and_serves_hashed_compressed_static_files(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "khru.config.base",
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "KHRU_WEB_WORKERS": "1",
    }
    subprocess.run([KHRU, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, timeout=120)
    hashed = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]["khru/khru.css"]
    port = _free_port()
    server = subprocess.Popen(
        [KHRU, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )
    try:
        for _ in range(600):  # granian may take a while to start on a busy machine
            try:
                health = _get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("khru serve did not start")
        assert health.status == 200
        static = _get(port, f"/static/{hashed}", {"Accept-Encoding": "gzip"})
        assert static.status == 200 and static.getheader("Content-Encoding") == "gzip"
        assert "max-age=315360000" in (static.getheader("Cache-Control") or "")  # hashed: cached for years
        assert _get(port, "/static/khru/no-such-file.css").status == 404
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # granian and its workers
            server.wait()


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis_two_worker_processes_share_one_rate_limit_count():
    count = (
        "import django, uuid; django.setup()\n"
        "from django.core.cache import cache\n"
        "from django.conf import settings\n"
        "print(settings.CACHES['default']['BACKEND'], settings.AXES_HANDLER)\n"
        "print(cache.incr('khru-test-shared') if not cache.add('khru-test-shared', 1, 30) else 1)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khru.config.base",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    subprocess.run(
        [sys.executable, "-c", "import redis; redis.Redis(db=15).flushdb()"], env=env, check=True, timeout=30
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", count], env=env, capture_output=True, text=True, timeout=60
        ).stdout
        for _ in range(2)
    ]
    assert outputs[0].split("\n")[0] == "django_redis.cache.RedisCache axes.handlers.cache.AxesCacheHandler"
    assert [out.split("\n")[1] for out in outputs] == ["1", "2"]  # the second process saw the first's count
