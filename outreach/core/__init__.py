"""What no domain owns: the clock, column helpers, the form kit. Imports nothing above it."""
