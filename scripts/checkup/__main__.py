"""Run the command line as `python -m checkup`."""

from .cli import main

main(prog_name="checkup")
