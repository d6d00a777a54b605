"""Accessibility basics of the public form at phone width: no sideways scrolling, a label for every
control, an error summary that takes focus and links to the fields, keyboard-only use, a skip link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

UNLABELLED_CONTROLS_JS = """() => {
    const controls = [...document.querySelectorAll('input, select, textarea')]
        .filter(el => el.type !== 'hidden');
    return controls
        .filter(el => !(el.labels && el.labels.length > 0)
                      && !(el.getAttribute('aria-label') || '').trim()
                      && !(el.getAttribute('aria-labelledby') || '').trim())
        .map(el => el.outerHTML.slice(0, 160));
}"""

NO_SIDEWAYS_SCROLL_JS = """() => ({
    scrollWidth: document.scrollingElement.scrollWidth,
    clientWidth: document.scrollingElement.clientWidth,
    widest: [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right)),
})"""


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
                type: el.getAttribute('type') || '', text: (el.textContent || '').trim().slice(0, 60)};
    }""")


def tab_until(page, predicate, limit: int = 80) -> int:
    """Press Tab until ``predicate(focused)`` holds; returns the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if predicate(focused(page)):
            return presses
    raise AssertionError(f"not reached with {limit} x Tab; ended on {focused(page)}")


@pytest.fixture
def form_page(live_server, bworld, phone, wait_for_captcha):
    page = phone.new_page()
    page.goto(f"{live_server.url}/melden/")
    wait_for_captcha(page)  # the widget changes the layout when done; measure the final state
    return page


@pytest.mark.parametrize("path", ["/", "/melden/"])
def test_no_horizontal_scroll_at_360px(live_server, bworld, phone, path):
    page = phone.new_page()
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.clientWidth") == 360
    result = page.evaluate(NO_SIDEWAYS_SCROLL_JS)
    assert result["scrollWidth"] <= 360, result


def test_error_state_has_no_horizontal_scroll(form_page):
    page = form_page
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    result = page.evaluate(NO_SIDEWAYS_SCROLL_JS)
    assert result["scrollWidth"] <= 360, result


def test_every_control_has_a_label(form_page):
    assert form_page.evaluate(UNLABELLED_CONTROLS_JS) == []
    # Radio groups are announced with their question
    expect(form_page.get_by_role("group", name="Waar is het?")).to_be_visible()


def test_empty_submit_shows_focused_error_summary_linking_to_fields(form_page):
    page = form_page
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()

    summary = page.locator("#foutmeldingen")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", name="Controleer het formulier")).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Doe een melding")

    links = summary.get_by_role("link")
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "#id_description" in hrefs and "#id_postcode" in hrefs and "#id_house_number" in hrefs, hrefs
    for href in hrefs:
        target = page.locator(href)
        expect(target).to_have_count(1)
        expect(target).to_be_visible()  # a link to an invisible control strands a keyboard user

    # The field is marked invalid and its message is read with it.
    description = page.get_by_label("Wat is er aan de hand?")
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#veld-description .utrecht-form-field-error-message")).to_have_text(
        "Beschrijf kort wat er aan de hand is.")

    # Following a link moves focus to the field.
    summary.get_by_role("link", name="Postcode").click()
    expect(page.locator("#id_postcode")).to_be_focused()
    summary.get_by_role("link", name="Wat is er aan de hand?").click()
    expect(description).to_be_focused()


def test_error_message_is_announced_with_its_field(form_page):
    page = form_page
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    described_by = page.locator("#id_description").get_attribute("aria-describedby") or ""
    assert "id_description_error" in described_by.split(), (
        f"aria-describedby={described_by!r}: the error text is not tied to the field")


def test_keyboard_only_reaches_description_and_submit(form_page):
    page = form_page
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Naar de inhoud", "the skip link is the first stop"
    tab_until(page, lambda f: f["id"] == "id_description")
    page.keyboard.type("Kapotte lamp in het trappenhuis")
    expect(page.locator("#id_description")).to_have_value("Kapotte lamp in het trappenhuis")
    tab_until(page, lambda f: f["tag"] == "button" and f["text"] == "Melding versturen")
    # Focus is visible (not removed by the stylesheet)
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    box_shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or box_shadow != "none"


def test_skip_link_moves_focus_to_main_content(form_page):
    page = form_page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["x"] >= 0 and box["width"] > 1, f"skip link not visible on focus: {box}"
    page.keyboard.press("Enter")
    expect(page.locator("main#inhoud")).to_be_focused()
    assert page.url.endswith("#inhoud")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_description", focused(page)
