"""Command-line commands, one module per area, registered on the `rmtrainer` group."""
