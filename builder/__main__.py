"""`python -m builder` runs the CLI (used by tests that need a separate process)."""

from builder.cli import main

main()
