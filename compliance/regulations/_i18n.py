"""The translation marker of the Django-free regulations library (STYLE.md, front end)."""


def _(message: str) -> str:
    """Return `message` unchanged.

    `makemessages` extracts the strings marked with `_()` here; they are translated where they
    are displayed (forms, templates, admin), not when the catalog is imported, so this package
    stays free of Django. Legal titles and citations are not marked: they stay as enacted.
    """
    return message
