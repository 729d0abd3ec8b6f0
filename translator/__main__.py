"""``python -m translator`` runs the command line."""

from .cli import main

main(prog_name="translator")
