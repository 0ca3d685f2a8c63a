"""A horizontal bar for a value against a goal (this month's sales against target)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class GoalBar(Widget):
    """``label [████████░░░░] 62%`` sized to the widget's width; no goal shows the value alone."""

    DEFAULT_CSS = """
    GoalBar { height: auto; width: 1fr; }
    """

    def __init__(self, label: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.value = 0
        self.goal: int | None = None
        self.caption = ""

    def set(self, value: int, goal: int | None, caption: str) -> None:
        self.value, self.goal, self.caption = value, goal, caption
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        text = Text(f"{self.label} ", style="bold")
        if not self.goal:
            text.append(self.caption)
            return text
        share = self.value / self.goal
        suffix = f" {share:4.0%} {self.caption}"
        room = max(width - len(text) - len(suffix) - 2, 4)
        filled = min(round(room * share), room)
        style = "green" if share >= 1 else ("yellow" if share >= 0.5 else "red")
        text.append("[")
        text.append("█" * filled, style=style)
        text.append("░" * (room - filled), style="dim")
        text.append("]")
        text.append(suffix)
        return text
