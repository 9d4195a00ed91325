"""One chart engine for a whole pre-forking web server: a renderer process that draws every chart.

vl-convert's JavaScript engine (V8 with Vega and Vega-Lite) is about 65 MB of private memory in each
process that draws a chart, and its threads do not survive a fork, so each gunicorn worker used to start its
own. Under ``sswis.gunicorn_config`` the master calls :func:`start` once, after preloading the application
and before forking its workers: it binds a Unix socket in a private directory (mode 0700) and forks a
*keeper*, which forks the *renderer*, which starts the engine and answers requests one at a time (V8 runs one
script at a time; the other workers' connections wait in the socket's backlog). Both share the master's
preloaded pages (copy on write). The workers inherit the socket's path and send each specification there.

Guarantees:

* :func:`svg` gives the same text whether the renderer or this process draws (the same function,
  :func:`engine_svg`, draws in both; the specification crosses as JSON, which keeps every string, number
  and structure a Vega-Lite specification holds). An engine error is raised as the same ``ValueError``.
* No renderer (runserver, the tests, the background worker, the command line), or one that does not answer
  (not started, dead, ended during this request, slower than :data:`ANSWER_TIMEOUT`): :func:`svg` draws in
  this process, which then starts its own engine (a warning is logged).
* The keeper restarts a renderer that ends (vl-convert aborts its process on some input; the operating
  system may kill it), at most once a second. It holds the listening socket, so requests sent meanwhile
  wait for the new renderer instead of failing. gunicorn's master reaps children it does not know without
  calling any hook, which is why the master does not restart the renderer itself.
* The keeper and the renderer end within a second of the process that started them (``on_exit`` ends them
  at once: :func:`stop`); neither runs the master's signal handlers nor holds its listening sockets.
* :func:`start` starts no thread in the calling process, so it may fork workers afterwards.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import struct
import tempfile
import time
from collections.abc import Iterable
from typing import Any, NoReturn

logger = logging.getLogger(__name__)

ANSWER_TIMEOUT = 20.0  # seconds; below gunicorn's 30 s worker timeout, far above a chart's 50-500 ms
_LENGTH = struct.Struct("!I")  # every message: its length in 4 bytes, then the message
_DRAWN, _REFUSED = b"S", b"E"  # an answer's first byte: SVG text follows, or the engine's error message
_RESTART_INTERVAL = 1.0  # seconds between two starts of the renderer, so a renderer that dies at once does
# not make the keeper spin
_POLL = 0.5  # seconds: how often the keeper and the renderer check that their parent is alive
_MASTER_SIGNALS = ("SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "SIGTTIN", "SIGTTOU", "SIGUSR1", "SIGUSR2")

_socket_path: str | None = None  # set in the process that called start(), inherited by its forked workers
_keeper: int | None = None  # the keeper's process id, in the process that started it


class RendererUnavailable(Exception):
    """The renderer gave no answer (absent, dead, ended during the request, or too slow)."""


def configured() -> bool:
    """Whether this process sends its charts to a renderer (a gunicorn worker, or its master)."""
    return _socket_path is not None


def engine_svg(*, spec: dict[str, Any], locale: str) -> str:
    """Draw ``spec`` (already made safe: ``sswis.presentation.charts._render``) with this process's own
    engine, starting it at the first call; ``locale`` is a d3-format locale as JSON. Raises ``ValueError``
    for a specification the engine refuses."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec, format_locale=json.loads(locale)))


def svg(*, spec: dict[str, Any], locale: str) -> str:
    """``spec`` drawn as SVG: by the renderer when one is configured and answers, else by this process."""
    if _socket_path is not None:
        try:
            return _ask(_socket_path, spec=spec, locale=locale)
        except RendererUnavailable as error:
            logger.warning("The chart renderer did not answer (%s); drawing in this process.", error)
    return engine_svg(spec=spec, locale=locale)


def _ask(path: str, *, spec: dict[str, Any], locale: str) -> str:
    try:
        request = json.dumps([spec, locale]).encode()
    except (TypeError, ValueError) as error:  # not JSON: only this process's engine can take it
        raise RendererUnavailable(f"specification not JSON: {error}") from error
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(ANSWER_TIMEOUT)
            connection.connect(path)
            _send(connection, request)
            answer = _receive(connection)
    except OSError as error:  # absent, refused, reset, timed out, or closed before the whole answer
        raise RendererUnavailable(str(error) or type(error).__name__) from error
    text = answer[1:].decode()
    if answer[:1] == _REFUSED:
        raise ValueError(text)
    return text


def _send(connection: socket.socket, message: bytes) -> None:
    connection.sendall(_LENGTH.pack(len(message)) + message)


def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    parts = bytearray()
    while len(parts) < size:
        part = connection.recv(min(size - len(parts), 1 << 20))
        if not part:
            raise ConnectionResetError("the other end closed the connection")
        parts += part
    return bytes(parts)


def _receive(connection: socket.socket) -> bytes:
    (size,) = _LENGTH.unpack(_receive_exactly(connection, _LENGTH.size))
    return _receive_exactly(connection, size)


def start(*, inherited: Iterable[int] = ()) -> str:
    """Start the keeper and its renderer; return the socket's path, which this process and the processes it
    forks afterwards send their charts to. ``inherited``: file descriptors of this process the keeper and
    the renderer must not hold (a server's listening sockets and signal pipe). Call it once, in a process
    that runs no other thread (it forks)."""
    global _socket_path, _keeper
    directory = tempfile.mkdtemp(prefix="sswis-charts-")  # mode 0700: only this user may connect
    path = os.path.join(directory, "renderer.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)  # bound before the fork: a worker's first chart finds it even before the engine
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        try:
            _detach(inherited)
            _keep(listener, directory=directory, parent=parent)
        finally:
            os._exit(1)
    listener.close()  # only the keeper and the renderer hold it: when both are gone, workers are refused
    _socket_path, _keeper = path, child
    return path


def stop() -> None:
    """End the keeper (which ends its renderer) and remove the socket's directory: for the server's exit."""
    global _socket_path, _keeper
    if _keeper is not None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(_keeper, signal.SIGTERM)
    if _socket_path is not None:
        shutil.rmtree(os.path.dirname(_socket_path), ignore_errors=True)
    _socket_path, _keeper = None, None


def _detach(inherited: Iterable[int]) -> None:
    """In a child forked from a server's master: default signal handling (the master's handlers would queue
    signals for the master and write to its pipe), none of its descriptors, and charts drawn here."""
    global _socket_path, _keeper
    signal.set_wakeup_fd(-1)
    for name in (*_MASTER_SIGNALS, "SIGWINCH", "SIGCHLD"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    for descriptor in inherited:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _socket_path, _keeper = None, None


def _keep(listener: socket.socket, *, directory: str, parent: int) -> NoReturn:
    """The keeper: start the renderer, start another when it ends, end when ``parent`` has (or on SIGTERM),
    taking the renderer and the socket's directory with it."""
    renderer = 0

    def end(*args: object) -> NoReturn:
        if renderer:
            with contextlib.suppress(ProcessLookupError):
                os.kill(renderer, signal.SIGTERM)
        shutil.rmtree(directory, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    keeper = os.getpid()
    while True:
        started = time.monotonic()
        # SIGTERM held across the fork: in the child before its reset, end() would remove the directory.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        renderer = os.fork()
        if renderer == 0:
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
                _serve(listener, keeper=keeper)
            finally:
                os._exit(1)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        while os.waitpid(renderer, os.WNOHANG) == (0, 0):
            if os.getppid() != parent:
                end()
            time.sleep(_POLL)
        logger.warning("The chart renderer (process %d) ended; starting another.", renderer)
        renderer = 0
        time.sleep(max(0.0, started + _RESTART_INTERVAL - time.monotonic()))


def _serve(listener: socket.socket, *, keeper: int) -> NoReturn:
    """The renderer: start the engine, then answer one request at a time until the keeper has ended."""
    engine_svg(spec={"mark": "point", "data": {"values": [{"a": 1}]}}, locale="{}")  # starts the engine
    listener.settimeout(_POLL)
    while os.getppid() == keeper:
        try:
            connection, _address = listener.accept()
        except TimeoutError:
            continue
        with connection:
            try:
                connection.settimeout(ANSWER_TIMEOUT)
                spec, locale = json.loads(_receive(connection))
                try:
                    answer = _DRAWN + engine_svg(spec=spec, locale=locale).encode()
                except ValueError as error:
                    answer = _REFUSED + str(error).encode()
                _send(connection, answer)
            except (OSError, ValueError) as error:  # the worker gave up or sent something broken
                logger.warning("The chart renderer could not answer a request: %s", error)
    os._exit(0)
