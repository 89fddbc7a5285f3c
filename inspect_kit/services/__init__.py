"""What every front-end does, written once (DESIGN §5): no textual, questionary or click here."""
