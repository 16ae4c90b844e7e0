"""`pressdesk mailings …`: one module per sub-command (see pressdesk/management/subcommands.py)."""
