"""Looking after agents: when to offer a break (seed 004, "take breaks").

Pure Python: no ORM, no request. The service (`services.nudge_check`) fetches the
times of the agent's recent negative interactions and the time of their last
nudge, and asks `should_nudge` whether to offer a break now.

The rule, as a team lead would put it on a whiteboard:

- An interaction is *negative* when the customer's emotion was negative at its
  start or at its end (`is_negative`). Both are hard on the agent: an angry
  opening takes energy even when the call ends well.
- When at least `threshold` negative interactions (default 3) happened within the
  last `window` (default 60 minutes), the agent is offered a short break.
- The window is `(now - window, now]` on the interaction's time (`occurred_at`):
  an interaction exactly `window` ago no longer counts; one dated in the future
  does not count yet; one backdated to before the window does not count.
- One run gives one nudge: only interactions *after* the last nudge count, so a
  new nudge needs a fresh run of `threshold` negatives, whether the agent took
  the break or said "not now".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

NEGATIVE = "negative"


def is_negative(start_valence: str | None, end_valence: str | None) -> bool:
    """Negative at start or at end (an interaction without an end counts by its start)."""
    return start_valence == NEGATIVE or end_valence == NEGATIVE


def counted_negatives(
    negative_times: Iterable[datetime],
    *,
    now: datetime,
    window: timedelta,
    last_nudge_at: datetime | None = None,
) -> list[datetime]:
    """The negative interactions that count towards a nudge at `now`, oldest first."""
    start = now - window
    if last_nudge_at is not None and last_nudge_at > start:
        start = last_nudge_at
    return sorted(moment for moment in negative_times if start < moment <= now)


def should_nudge(
    negative_times: Iterable[datetime],
    *,
    now: datetime,
    threshold: int,
    window: timedelta,
    last_nudge_at: datetime | None = None,
) -> bool:
    """True when at least `threshold` negatives fall in the window, all after the last nudge.

    `negative_times` are the times of the agent's negative interactions, in any order.
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if window <= timedelta(0):
        raise ValueError("window must be positive")
    counted = counted_negatives(negative_times, now=now, window=window, last_nudge_at=last_nudge_at)
    return len(counted) >= threshold


def next_practice(codes: Sequence[str], last_code: str | None) -> str:
    """The calming practice to suggest: the one after the last suggested, in turn."""
    if not codes:
        raise ValueError("no practices to choose from")
    if last_code not in codes:
        return codes[0]
    return codes[(list(codes).index(last_code) + 1) % len(codes)]
