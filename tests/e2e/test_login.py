import re

from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.factories.users import DEFAULT_PASSWORD


def test_user_logs_in_through_the_login_form_and_sees_the_home_page(page, transactional_db):
    UserFactory(username="officer", first_name="Olivia")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Welcome, Olivia")).to_be_visible()
    expect(page.get_by_role("cell", name="India", exact=True)).to_be_visible()
