"""The one domain error. Services raise it with a message a person can act on; views show it."""


class ApplicationError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
