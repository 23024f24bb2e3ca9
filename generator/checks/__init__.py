"""Checks of what is made and what makes it: accessibility of documents, and templates' tags against the models."""
