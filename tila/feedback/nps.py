"""Net Promoter Score arithmetic: the score, its 95 % interval and the interval of a change.

Pure functions on counts, no database. The selectors count answers in SQL and hand the counts here,
so every page, download and API response uses exactly these numbers.

* NPS = share of promoters (9–10) − share of detractors (0–6), reported × 100 (−100 … 100).
* The 95 % interval uses the *adjusted Wald* method for the difference of two shares of one
  multinomial sample (Rocks, "Confidence intervals for the Net Promoter Score"): add 3 to n and
  0.75 to the promoter and the detractor counts,

      p̃ = (P + 0.75) / (n + 3)        d̃ = (D + 0.75) / (n + 3)        NPS̃ = p̃ − d̃
      var = (p̃ + d̃ − (p̃ − d̃)²) / (n + 3)
      interval = NPS̃ ± 1.96 · √var

  The interval is reported × 100 and clipped to [−100, 100]. The point shown is the plain NPS; the
  interval is centred on the adjusted estimate (which pulls small samples towards 0), so with few
  answers the point may sit off-centre — that is the method working, not a bug.
* A change between two independent periods: Δ = NPS_b − NPS_a, interval
  (NPS̃_b − NPS̃_a) ± 1.96 · √(var_a + var_b) (variances of independent samples add).
* Fewer than `MIN_READABLE` (30) answers: the result is flagged "too small to read".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.96
MIN_READABLE = 30
PROMOTER_MIN = 9  # 9–10
DETRACTOR_MAX = 6  # 0–6


def category(score: int) -> str:
    """The category of a 0–10 answer: promoter, passive or detractor."""
    if score >= PROMOTER_MIN:
        return "promoter"
    if score <= DETRACTOR_MAX:
        return "detractor"
    return "passive"


@dataclass(frozen=True)
class Nps:
    """One NPS figure with its sample size and 95 % interval (all scores × 100)."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: float | None  # plain NPS × 100; None without answers
    adjusted: float  # NPS̃ × 100
    low: float
    high: float
    variance: float  # of NPS̃ (as a share, not × 100²)

    @property
    def too_small(self) -> bool:
        return self.n < MIN_READABLE

    @property
    def rounded(self) -> int | None:
        return None if self.score is None else round(self.score)

    def as_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "nps": None if self.score is None else round(self.score, 1),
            "ci_low": round(self.low, 1),
            "ci_high": round(self.high, 1),
            "too_small": self.too_small,
        }


def _clip(value: float) -> float:
    return max(-100.0, min(100.0, value))


def nps(promoters: int, passives: int, detractors: int) -> Nps:
    """The NPS of a sample with these counts of promoters, passives and detractors."""
    if min(promoters, passives, detractors) < 0:
        raise ValueError("counts cannot be negative")
    n = promoters + passives + detractors
    score = None if n == 0 else (promoters - detractors) * 100.0 / n
    n_adj = n + 3
    p = (promoters + 0.75) / n_adj
    d = (detractors + 0.75) / n_adj
    adjusted = p - d
    variance = (p + d - adjusted**2) / n_adj
    half = Z95 * math.sqrt(variance)
    return Nps(
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        score=score,
        adjusted=adjusted * 100,
        low=_clip((adjusted - half) * 100),
        high=_clip((adjusted + half) * 100),
        variance=variance,
    )


def nps_of_scores(scores: list[int]) -> Nps:
    """The NPS of a list of 0–10 answers (for tests and small in-memory samples)."""
    kinds = [category(s) for s in scores]
    return nps(kinds.count("promoter"), kinds.count("passive"), kinds.count("detractor"))


@dataclass(frozen=True)
class NpsChange:
    """From period `before` to period `after` (× 100)."""

    before: Nps
    after: Nps
    change: float | None  # plain NPS_after − NPS_before
    low: float
    high: float

    @property
    def too_small(self) -> bool:
        return self.before.too_small or self.after.too_small

    @property
    def clear(self) -> bool:
        """The interval of the change lies wholly above or below zero."""
        return self.low > 0 or self.high < 0

    def as_dict(self) -> dict[str, object]:
        return {
            "change": None if self.change is None else round(self.change, 1),
            "ci_low": round(self.low, 1),
            "ci_high": round(self.high, 1),
            "too_small": self.too_small,
            "clear": self.clear,
        }


def nps_change(before: Nps, after: Nps) -> NpsChange:
    change = None if before.score is None or after.score is None else after.score - before.score
    centre = after.adjusted - before.adjusted
    half = Z95 * math.sqrt(before.variance + after.variance) * 100
    return NpsChange(
        before=before,
        after=after,
        change=change,
        low=max(-200.0, centre - half),
        high=min(200.0, centre + half),
    )
