"""Sub-commands of the `concord` command (see `concord.cli`)."""
