"""Errors a user can act on. The CLI prints them as one line: ``Error: <message>``."""


class TrackerError(Exception):
    """A problem with the user's input or environment; the message says what to do next."""
