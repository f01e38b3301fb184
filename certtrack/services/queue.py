"""Hand long work to the task queue by name, so that services never import the queue itself.

`certtrack.tasks` registers a sender for each job it defines. Without one (a script that never
configured the queue) the job runs at once, in the caller's thread.
"""

from collections.abc import Callable

_senders: dict[str, Callable] = {}
_inline: dict[str, Callable] = {}


def register(name: str, send: Callable, run: Callable) -> None:
    """Take a job's name, the function that enqueues it and the one that runs it inline."""
    _senders[name] = send
    _inline[name] = run


def known(name: str) -> bool:
    """Whether a job of this name is registered."""
    return name in _senders


def enqueue(name: str, *args) -> None:
    """Queue the job `name` with plain, JSON-serialisable arguments.

    :raise KeyError: no job of this name is registered.
    """
    _senders[name](*args)


def enqueue_or_run(name: str, run: Callable, *args) -> None:
    """Queue the job when the queue knows it, else call `run(*args)` now."""
    if name in _senders:
        _senders[name](*args)
    else:
        run(*args)
