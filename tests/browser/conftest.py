"""Real Chromium through Playwright, offline: any request that leaves the site fails the test."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from generator.browser import launch


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser):
    """A page whose outside requests (anything not file://) are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith("file://") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.outside_requests = outside
    yield page
    context.close()
