"""A Footer that rebuilds its keys only when the keys it shows have changed.

Textual's Footer recomposes (removes and re-mounts every key widget, restyles and
lays them out again) each time its screen publishes ``bindings_updated``, which
happens on every screen switch and focus change even when the shown keys are the
same. That recomposition was ~30-40 % of a screen switch; this subclass compares
what the footer would show and skips the rebuild when nothing differs.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from amtui.i18n import N_, _, current_language

# Textual's own binding descriptions that show in a footer or the help, marked for the catalogs.
TEXTUAL_DESCRIPTIONS = (N_("palette"), N_("Quit"), N_("Back"), N_("Close"))


def describe(description: str) -> str:
    """A binding's description in the interface language: bindings are defined (in English, marked
    with ``N_``) when their class is imported, and translated when they are shown."""
    return _(description) if description else description


class StableFooter(Footer):
    """Drop-in Footer; same look, same bindings, fewer rebuilds."""

    def __init__(self, *, id: str | None = None, classes: str | None = None, compact: bool = False) -> None:
        super().__init__(id=id, classes=classes, compact=compact)
        self._shown_keys: Hashable | None = None

    def shown_keys(self, screen: Screen) -> Hashable:
        """Everything from the bindings that the footer's compose() reads, in order."""
        app = screen.app
        return (
            self.show_command_palette,
            self.compact,
            app.ENABLE_COMMAND_PALETTE,
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

    def compose(self) -> ComposeResult:
        # Footer.compose builds the keys from the bindings' English descriptions: translate them here.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = describe(widget.description)
                if isinstance(widget.tooltip, str):
                    widget.tooltip = describe(widget.tooltip)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        # Same conditions as Footer.bindings_changed for actually recomposing: only then is the
        # shown state remembered (a blurred app recomposes once it regains focus).
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self.shown_keys(screen)
            if self._bindings_ready and keys == self._shown_keys:
                return
            self._shown_keys = keys
        super().bindings_changed(screen)
