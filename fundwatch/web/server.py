"""Run the dashboard with uvicorn: in the foreground (`fundwatch serve`) or in a thread (demo)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time

import uvicorn

from fundwatch.web.app import create_app
from fundwatch.web.config import DEFAULT_HOST, DEFAULT_PORT, WebConfig


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _uvicorn_config(config: WebConfig, host: str, port: int, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(config),
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
        access_log=log_level == "info",
    )


def serve(
    config: WebConfig,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    log_level: str = "warning",
) -> None:
    uvicorn.Server(_uvicorn_config(config, host, port, log_level)).run()


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class BackgroundServer:
    """The dashboard in a daemon thread; `url` once started. Stops on exit of the with-block."""

    def __init__(self, config: WebConfig, host: str = DEFAULT_HOST, port: int = 0) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.server = uvicorn.Server(_uvicorn_config(config, host, self.port, "warning"))
        self.thread = threading.Thread(target=self.server.run, name="fundwatch-web", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 30.0) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the dashboard did not start on {self.url}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
