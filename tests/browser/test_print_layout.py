"""The combined print document of every organisation, laid out by Chromium for print: list
bullets and numbers stand inside the text area (not cut off in the margin) and a callout's icon
stands left of its title instead of over it."""

from __future__ import annotations

import pytest

from generator.export.pdf import combined_html
from generator.load import Roots
from generator.outputs import reading_order
from generator.pipeline import check

from ..conftest import ORGS, REPO

pytestmark = pytest.mark.browser

LAYOUT = """() => {
  const loose = [];
  for (const li of document.querySelectorAll('.rw-pdf-section li')) {
    const style = getComputedStyle(li);
    if (style.display !== 'list-item' || style.listStyleType === 'none' || style.listStylePosition !== 'outside') continue;
    const box = li.closest('.rw-pdf-section').getBoundingClientRect();
    // An outside marker needs about 1em left of its item, inside the section's box.
    if (li.getBoundingClientRect().left - box.left < parseFloat(style.fontSize) * 0.9) loose.push(li.textContent.trim().slice(0, 60));
  }
  const covered = [];
  for (const title of document.querySelectorAll('.rw-pdf-section .admonition-title, .rw-pdf-section summary')) {
    const icon = getComputedStyle(title, '::before');
    const right = parseFloat(icon.left) + parseFloat(icon.width);
    if (!(right <= parseFloat(getComputedStyle(title).paddingLeft))) covered.push(title.textContent.trim().slice(0, 60));
  }
  return {items: document.querySelectorAll('.rw-pdf-section li').length, loose, covered,
          callouts: document.querySelectorAll('.rw-pdf-section .admonition-title').length};
}"""


@pytest.mark.parametrize("slug", ORGS)
def test_bullets_and_callout_icons_sit_right_in_print(browser, sites, slug):
    variant = check(Roots(REPO), [slug]).variants[slug]
    site = sites / slug
    document = site / ".test-print-layout.html"
    document.write_text(combined_html(site, variant, reading_order(variant)), encoding="utf-8")
    page = browser.new_page(java_script_enabled=False)
    try:
        page.emulate_media(media="print")
        page.goto(document.as_uri())
        found = page.evaluate(LAYOUT)
    finally:
        page.close()
        document.unlink()
    assert found["items"] > 50 and found["callouts"] > 0
    assert not found["loose"], f"{len(found['loose'])} opsommingstekens buiten de tekst: {found['loose'][:5]}"
    assert not found["covered"], f"{len(found['covered'])} pictogrammen over de titel van een kader: {found['covered'][:5]}"
