"""Glue between services' ApplicationError and Django forms."""

from django import forms

from .exceptions import ApplicationError


def apply_application_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a service's rule violation on the form: on its field when the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
