"""A Footer that rebuilds its keys only when the keys it shows have changed, and that fits
the terminal's width.

Textual's Footer recomposes (removes and re-mounts every key widget, restyles and
lays them out again) each time its screen publishes ``bindings_updated``, which
happens on every screen switch and focus change even when the shown keys are the
same. That recomposition was ~30-40 % of a screen switch; this subclass compares
what the footer would show and skips the rebuild when nothing differs.

On a narrow terminal (80 columns) Textual's footer cuts off whatever does not fit, mid-word
("? Help" became "?"). This one turns compact below ``WIDE`` columns and, when the keys still do not
fit, leaves out the last ones (a screen lists its keys most important first) instead of cutting
one: "? Help" is always shown whole, with the palette key.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from amtui.i18n import N_, _, current_language

# Textual's own binding descriptions that show in a footer or the help, marked for the catalogs.
TEXTUAL_DESCRIPTIONS = (N_("palette"), N_("Quit"), N_("Back"), N_("Close"))

# Below this many columns the footer is compact (less space around each key).
WIDE = 100
HELP_KEY = "question_mark"


def describe(description: str) -> str:
    """A binding's description in the interface language: bindings are defined (in English, marked
    with ``N_``) when their class is imported, and translated when they are shown."""
    return _(description) if description else description


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


class StableFooter(Footer):
    """Drop-in Footer; same look, same bindings, fewer rebuilds; never cuts a key in two."""

    def __init__(self, *, id: str | None = None, classes: str | None = None, compact: bool = False) -> None:
        super().__init__(id=id, classes=classes, compact=compact)
        self._shown_keys: Hashable | None = None
        self._always_compact = compact

    def _width(self) -> int:
        return self.screen.size.width or self.app.size.width

    def shown_keys(self, screen: Screen) -> Hashable:
        """Everything from the bindings that the footer's compose() reads, in order."""
        app = screen.app
        return (
            self.show_command_palette,
            self.compact,
            app.ENABLE_COMMAND_PALETTE,
            self._width(),
            tuple(
                (
                    key,
                    binding.action,
                    binding.description,
                    current_language(),
                    app.get_key_display(binding),
                    enabled,
                    tooltip,
                    binding.group,
                )
                for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                if binding.show or key == app.COMMAND_PALETTE_BINDING
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        # Same conditions as Footer.bindings_changed for actually recomposing: only then is the
        # shown state remembered (a blurred app recomposes once it regains focus).
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self.shown_keys(screen)
            if self._bindings_ready and keys == self._shown_keys:
                return
            self._shown_keys = keys
        super().bindings_changed(screen)

    def on_resize(self, event: events.Resize) -> None:
        compact = self._always_compact or self._width() < WIDE
        if compact != self.compact:
            self.compact = compact
        if self._bindings_ready and self.is_attached:
            self.bindings_changed(self.screen)

    def compose(self) -> ComposeResult:
        # Footer.compose builds the keys from the bindings' English descriptions: translate them here,
        # then keep the keys that fit whole.
        widgets = []
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = describe(widget.description)
                if isinstance(widget.tooltip, str):
                    widget.tooltip = describe(widget.tooltip)
            widgets.append(widget)
        yield from self.fitted(widgets)

    def key_width(self, key: FooterKey) -> int:
        """The cells a key takes (see FooterKey's and Footer's styles, normal and compact)."""
        if key.has_class("-command-palette"):  # always compact, with a left border and right padding
            return _cells(key.key_display) + 1 + _cells(key.description) + 2
        if self.compact:
            width = _cells(key.key_display) + (1 + _cells(key.description) if key.description else 0) + 1
        else:
            width = _cells(key.key_display) + 2 + (_cells(key.description) + 1 if key.description else 0)
        return width

    def fitted(self, widgets: list[Widget]) -> Iterable[Widget]:
        """The keys that fit whole, in the screen's order, the help key and the palette key first served."""
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        if len(keys) != len(widgets):  # binding groups: left as Textual lays them out
            return widgets
        # The screen's keys in the order it declares them (a focused TextArea that binds ctrl+y to
        # redo only while there is something to redo would otherwise move them about), then the rest.
        declared: dict[str, int] = {}
        for index, binding in enumerate(getattr(self.screen, "BINDINGS", ())):
            if isinstance(binding, Binding):
                for name in binding.key.split(","):
                    declared.setdefault(name.strip(), index)
        keys.sort(key=lambda shown: declared.get(shown.key, len(declared)))
        room = self._width()
        kept: set[int] = set()
        for key in keys:
            if key.key == HELP_KEY or key.has_class("-command-palette"):
                kept.add(id(key))
                room -= self.key_width(key)
        for key in keys:
            if id(key) not in kept and self.key_width(key) <= room:
                kept.add(id(key))
                room -= self.key_width(key)
            elif id(key) not in kept:
                room = -1  # keep the order: nothing after a key left out
        return [key for key in keys if id(key) in kept]
