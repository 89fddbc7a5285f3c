"""What every front-end does, written once: drafts (lock, autosave, attachments, finalize) and
revisions. Front-end neutral: nothing here imports textual, questionary or click."""
