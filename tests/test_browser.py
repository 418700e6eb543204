"""End to end in a real browser: `streamlit run`, Debian's Chromium, Playwright, the real canvas.

Skips where there is no Chromium, unless LENET_REQUIRE_BROWSER=1 (as .ci/run sets), in which
case a missing browser fails the run. Saves the screenshots that README.md shows.
"""

import math
import os
from pathlib import Path

import pytest
from streamlit_browser import browser_missing, canvas, chromium_page, draw, prediction, streamlit_server, wait_idle

from lenet import load_mnist

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
missing = browser_missing()
if missing and os.environ.get("LENET_REQUIRE_BROWSER") == "1":
    pytest.fail(f"browser tests are required here (LENET_REQUIRE_BROWSER=1) but {missing}", pytrace=False)
pytestmark = [pytest.mark.browser, pytest.mark.skipif(bool(missing), reason=str(missing))]

VERTICAL = [(140, 40 + 10 * i) for i in range(21)]
LOOP = [(140 + 70 * math.sin(t / 24 * 2 * math.pi), 140 - 100 * math.cos(t / 24 * 2 * math.pi)) for t in range(26)]


@pytest.fixture(scope="module")
def app():
    with streamlit_server() as url, chromium_page() as page:
        page.goto(url)
        canvas(page).wait_for(state="visible")
        yield page


def expect_text(locator, text):
    from playwright.sync_api import expect

    expect(locator).to_have_text(text, timeout=20_000)


def sidebar(page):
    return page.get_by_test_id("stSidebarUserContent")


def go_to(page, title):
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    page.get_by_role("heading", name=title).first.wait_for()
    wait_idle(page)


def test_draw_a_one_then_clear_then_a_zero(app):
    draw(app, VERTICAL)
    expect_text(prediction(app), "1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    app.screenshot(path=SHOTS / "draw.png", full_page=True)
    app.get_by_role("button", name="Clear").click()
    app.get_by_text("Draw a digit on the canvas").wait_for()
    assert prediction(app).count() == 0
    draw(app, LOOP)
    expect_text(prediction(app), "0")


def test_feature_maps_c3_and_parameters_pages(app):
    go_to(app, "Feature maps")
    app.get_by_text("One unit, taken apart").wait_for()
    expect_text(prediction(app), "0")  # the same digit as on the Draw page
    app.screenshot(path=SHOTS / "feature_maps.png", full_page=True)
    go_to(app, "C3 connections")
    app.get_by_text("takes S2 maps [0, 1, 2]").wait_for()
    app.screenshot(path=SHOTS / "c3_connections.png", full_page=True)
    go_to(app, "Parameters & architecture")
    app.get_by_text("60,000").first.wait_for()
    app.get_by_text("C3: the connection table").wait_for()  # the page links have drawn
    app.locator('[data-testid="stDataFrame"] canvas').first.wait_for()  # so has the layer table
    app.wait_for_timeout(500)  # the grid paints its cells on the frame after its canvas appears
    app.screenshot(path=SHOTS / "parameters.png", full_page=True)
    go_to(app, "Draw & classify")
    expect_text(prediction(app), "0")  # the drawing survived the trip


def test_mnist_digit_shows_its_label(app):
    index = 4321
    label = int(load_mnist("test").labels[index])
    sidebar(app).get_by_text("MNIST test digit", exact=True).click()
    field = app.get_by_label("Test digit index")
    field.fill(str(index))
    field.press("Enter")
    app.get_by_text(f"True label: {label}").wait_for()
    expect_text(prediction(app), str(label))


def test_upload_that_is_not_an_image(app, tmp_path):
    fake = tmp_path / "homework.png"
    fake.write_text("Dear teacher, this is not a picture of a digit.")
    sidebar(app).get_by_text("Upload an image", exact=True).click()
    app.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(fake))
    app.get_by_text("Cannot use 'homework.png'").wait_for()
    assert prediction(app).count() == 0
    sidebar(app).get_by_text("Draw", exact=True).click()  # leave the app as a teacher found it
