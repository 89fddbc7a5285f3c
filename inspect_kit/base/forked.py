"""A function run in a forked copy of this process while this one goes on.

On two cores the `chart` command reads the store and works out the figures in the copy while
this process imports matplotlib (~0.45 s each, which would otherwise add up). The result comes
back pickled through a pipe. Where forking does not pay or is unsafe (one core, another thread
running, no `os.fork`) the function runs here when the result is asked for. A copy that dies
costs time, never the result: the function is then run here. Only an error that pickles whole
comes back as itself (InspectKitError, the user-facing messages); any other failure is run
again here so its traceback is the real one.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Generic, TypeVar

T = TypeVar("T")

_OK, _ERROR = b"v", b"e"


def forking_pays() -> bool:
    """More than one core for this process, no other thread (a fork copies only the calling
    thread, so a lock another one holds would stay held in the copy)."""
    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) > 1


class Forked(Generic[T]):
    """`fn()` started in a forked copy now (`fork`: None decides by `forking_pays`); `result()`
    waits for it."""

    def __init__(self, fn: Callable[[], T], *, fork: bool | None = None) -> None:
        self._fn = fn
        self._pid = 0
        self._pipe = -1
        if fork is None:
            fork = forking_pays()
        if not fork:
            return
        for stream in (sys.stdout, sys.stderr):  # else the copy writes this one's buffers again
            stream.flush()
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: run, send, leave without this process's exit handlers
            os.close(read_end)
            code = 1
            try:
                _send(write_end, fn)
                code = 0
            finally:
                for stream in (sys.stdout, sys.stderr):
                    with suppress(Exception):  # a closed stream: nothing to flush
                        stream.flush()
                os._exit(code)
        os.close(write_end)
        self._pid, self._pipe = pid, read_end

    def result(self) -> T:
        if not self._pid:
            return self._fn()
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                payload = pipe.read()
        finally:
            os.waitpid(self._pid, 0)
            self._pid = 0
        tag, body = payload[:1], payload[1:]
        if tag not in (_OK, _ERROR):  # the copy died or failed in a way only a rerun explains
            return self._fn()
        try:
            value = pickle.loads(body)
        except Exception:  # a class that does not unpickle here: run it here
            return self._fn()
        if tag == _ERROR:
            raise value
        return value  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop a copy whose result is no longer wanted (this process failed first)."""
        if self._pid:
            with suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            with suppress(OSError):
                os.close(self._pipe)
            os.waitpid(self._pid, 0)
            self._pid = 0

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _send(fd: int, fn: Callable[[], object]) -> None:
    try:
        payload = _OK + pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        payload = _error_payload(exc)
    with os.fdopen(fd, "wb") as pipe:
        pipe.write(payload)


def _error_payload(exc: Exception) -> bytes:
    """The error itself if it survives pickling whole (message and class), else nothing: the
    parent then runs the function again and meets the error with its traceback."""
    from inspect_kit.base.errors import InspectKitError

    if not isinstance(exc, InspectKitError):
        return b""
    try:
        body = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        again = pickle.loads(body)
    except Exception:
        return b""
    if type(again) is not type(exc) or str(again) != str(exc):
        return b""
    return _ERROR + body
