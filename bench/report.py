"""The bench's final table: each figure beside its target, as a ratio to it, met or NOT MET.

A ceiling (≤) is met at a ratio ≤ 1.00 (result / target); a floor (≥) at a ratio ≥ 1.00 for a
ratio target, where the ratio is the figure itself (ours / the peer's).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Figure:
    measurement: str
    value: float | None  # None: not measured (the row says why in `shown`)
    target: float | None  # None: no target (information only)
    unit: str = "ms"
    at_least: bool = False  # a floor (≥), not a ceiling (≤)
    shown: str = ""  # the result as printed, when more than the value
    ratio_is_value: bool = False  # the value is already a ratio (ours / peer)
    passed: bool | None = None  # a yes/no check (no ratio): met or not whatever the value

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.target is None:
            return None
        return self.value if self.ratio_is_value else self.value / self.target

    @property
    def met(self) -> bool | None:
        if self.passed is not None:
            return self.passed
        if self.ratio is None:
            return None
        limit = self.target if self.ratio_is_value else 1.0
        return self.ratio >= limit if self.at_least else self.ratio <= limit

    def row(self) -> tuple[str, str, str, str, str]:
        result = self.shown or ("-" if self.value is None else f"{_number(self.value)} {self.unit}".strip())
        if self.target is None:
            target = "-"
        else:
            sign = "≥" if self.at_least else "≤"
            target = f"{sign} {_number(self.target)}{'×' if self.ratio_is_value else ' ' + self.unit}".strip()
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}"
        met = {None: "-", True: "met", False: "NOT MET"}[self.met]
        return self.measurement, result, target, ratio, met


def _number(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(figures: list[Figure]) -> str:
    """Return the table, in Markdown so that docs/performance.md can take it as it is."""
    rows = [("measurement", "result", "target", "ratio", "met"), *(f.row() for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) + " |" for r in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def all_met(figures: list[Figure]) -> bool:
    return all(f.met is not False for f in figures)
