"""A progress bar on stderr, redrawn in place on a terminal and printed once per step elsewhere."""

import sys
import time


class Progress:
    """Counts work done towards `total` for one labelled step; use as a context manager."""

    WIDTH = 30

    def __init__(self, label: str, total: int, stream=None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = self._last_draw = time.perf_counter()
        self._next_quarter = 0.25  # without a terminal, a line at every quarter

    def __enter__(self) -> "Progress":
        self._draw()
        return self

    def __exit__(self, *exc) -> None:
        self.done = min(self.done, self.total) if exc[0] else self.total
        self._draw(final=True)

    def advance(self, count: int = 1) -> None:
        """Record `count` more units done; redraws at most ten times a second."""
        self.done += count
        now = time.perf_counter()
        if self.tty and now - self._last_draw >= 0.1:
            self._last_draw = now
            self._draw()
        elif not self.tty and self._next_quarter <= self.done / self.total < 1:
            self._next_quarter += 0.25
            self._draw(final=True)

    def _draw(self, final: bool = False) -> None:
        if not (self.tty or final):
            return
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * self.WIDTH)
        elapsed = time.perf_counter() - self.started
        line = (f"{self.label:<22} [{bar:<{self.WIDTH}}] {share:6.1%} "
                f"{self.done:>10,}/{self.total:,} {elapsed:6.1f}s")
        self.stream.write(("\r" if self.tty else "") + line + ("\n" if final else ""))
        self.stream.flush()
