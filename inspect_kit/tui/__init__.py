"""The Textual front-end (DESIGN §5): imported only by the `tui` command, serve and tests."""
