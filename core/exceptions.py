"""Errors raised by services when a business rule is broken."""


class ApplicationError(Exception):
    """A rule was broken; `message` is translated and safe to show to the user.

    `field` names the form or API field the error belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
