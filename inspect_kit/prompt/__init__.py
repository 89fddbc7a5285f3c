"""The line-by-line front-end (questionary): plain filling and the form wizard.

May import questionary; never textual or click. Every prompt takes `input`/`output` so tests
drive it through prompt_toolkit's pipe input.
"""
