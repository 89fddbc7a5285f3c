"""The meeting pack (DESIGN §6): one PDF for a form's round, from its `PanelView`.

`plan` decides the pages (nothing drawn), `pages` draws the round-wide ones (cover, ranking
table, charts), `subject_page` the per-subject ones, and `report` writes them to the PDF, in
this process or split over worker processes (`worker`).
"""
