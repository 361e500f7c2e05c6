"""Per-channel sending windows (at most N messages per T seconds), kept by the relay process so
that a burst waits in the outbox instead of being refused by the platform."""

from __future__ import annotations

from collections import deque


class SendWindows:
    def __init__(self, limits: tuple[tuple[int, float], ...]) -> None:
        self.limits = limits
        self.horizon = max((seconds for _, seconds in limits), default=0.0)
        self.sent: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more message may go (0: now)."""
        while self.sent and self.sent[0] <= now - self.horizon:
            self.sent.popleft()
        wait = 0.0
        for count, seconds in self.limits:
            recent = [t for t in self.sent if t > now - seconds]
            if len(recent) >= count:
                wait = max(wait, recent[-count] + seconds - now)
        return wait

    def note(self, now: float) -> None:
        self.sent.append(now)
