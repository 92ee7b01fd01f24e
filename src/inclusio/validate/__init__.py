"""Validators of finished outputs: EPUBCheck (the format) and DAISY Ace (accessibility, the WCAG claim).

They run in the pipeline's ``validate`` stage, after the writers, and import nothing of the pipeline.
"""
