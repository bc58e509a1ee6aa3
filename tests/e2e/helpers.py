"""Steps the browser tests share."""

import re

from playwright.sync_api import Page, expect

from tests.factories.users import DEFAULT_PASSWORD


def log_in(page: Page, username: str) -> None:
    """Sign in through the login page, as a person would, and wait to have left it."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))
