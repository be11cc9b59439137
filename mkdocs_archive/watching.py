"""``mkdocs serve``: the seeds told of changes by the system (inotify, FSEvents, ReadDirectoryChangesW), not polled.

MkDocs 1.6 watches every path with watchdog's ``PollingObserver``: twice a second it lists and stats every
file under each watched folder and compares the two listings. Over 10,000 seeds that kept a quarter of a core
busy while ``serve`` sat idle, and during a rebuild the polling thread took 28 % of the process's samples, as
much as the pages: one changed report rebuilt in 54 s under ``serve`` against 39 s under ``build``.

The server's ``watch`` (its public way to watch a path, with its own callback that asks for a rebuild) is
given, for the folders named here, the platform's native observer instead of its polling one
(``LiveReloadServer.observer`` is a public attribute, which MkDocs itself starts). A native observer also
reports a file merely opened or read, and the build reads every seed: those events are filtered out, or each
build would ask for the next. Where the platform has no native observer, or it cannot watch a folder (Linux's
limit of inotify watches reached), the folder is left to MkDocs' polling, as before.
"""

from __future__ import annotations

import logging
from typing import Iterable

from watchdog import events
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.archive")

# The events that mean a file's content or place changed; not FileOpenedEvent or FileClosedNoWriteEvent (a read).
CHANGES = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent, events.FileMovedEvent,
           events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]


class ChangesObserver(Observer):  # type: ignore[misc,valid-type]  # Observer is the platform's class
    """The platform's native observer, passing on only the events of ``CHANGES``."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or CHANGES,
                                follow_symlink=follow_symlink)


def native_available() -> bool:
    """Whether this platform has an observer other than polling."""
    return not issubclass(Observer, PollingObserver)


def watch_natively(server, paths: Iterable[str]) -> tuple[BaseObserver | None, list[str]]:
    """Have ``server`` (MkDocs' ``LiveReloadServer``) watch each of ``paths`` through a native observer, started
    here: that observer (to stop at shutdown; None when none could start) and the paths it watches. The others are
    the caller's to give MkDocs as before."""
    paths = list(paths)
    if not paths or not native_available():
        return None, []
    native = ChangesObserver()
    native.daemon = True
    try:
        native.start()
    except OSError as exc:
        log.info(f"系统的文件变化通知不可用（{exc}），改为定时检查 seeds 等目录")
        return None, []
    watched: list[str] = []
    for path in paths:
        try:  # a running observer watches at once: a folder it cannot watch fails here, not in the server
            native.unschedule(native.schedule(FileSystemEventHandler(), path, recursive=True))
        except OSError as exc:
            log.info(f"无法用系统的文件变化通知监视 {path}（{exc}），改为定时检查；"
                     "Linux 上可调高 fs.inotify.max_user_watches")
            continue
        polling, server.observer = server.observer, native
        try:
            server.watch(path)  # the server's own callback, which asks for a rebuild
        finally:
            server.observer = polling
        watched.append(path)
    if not watched:
        native.stop()
        return None, []
    return native, watched


def stop(observer: BaseObserver) -> None:
    observer.stop()
    observer.join(timeout=5)
