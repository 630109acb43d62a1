"""Writes of the dashboards app: only the delivery of its own reports (it owns no business data)."""
