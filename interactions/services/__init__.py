"""Writes of the interactions app, split by sub-domain; import from the sub-modules."""
