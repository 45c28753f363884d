"""Intake questions: what a visitor answers when booking, and the coach edits.

models.py (questions, answers), service.py (the coach's edits, a new coach's defaults),
forms.py (the editor's form, and the answer fields a booking form adds per question).
The editor is a section of the availability page, so its routes are in
blueprints/availability/views.py; its markup is templates/intake/_questions.html.
"""
