"""What every front-end does, written once (DESIGN §5): drafts (lock, autosave, attachments,
finalize), revisions (amend, void) and panels (one query per form and round behind every view).
Front-end neutral: nothing here imports textual, questionary or click."""
