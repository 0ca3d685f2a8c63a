"""CLI command groups. Each module exposes ``register(app)``.

These modules import only typer at load time; services (and so SQLModel) are
imported inside the commands, so ``amtui --help`` stays fast.
"""
