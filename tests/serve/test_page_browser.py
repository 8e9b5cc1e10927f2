"""The query page at / in headless Chromium (Selenium): examples load, a query fills the table, values stay text,
and the Content-Security-Policy lets the inline script run (no console error). Skips without Chromium."""

from __future__ import annotations

import time

import pytest

from browser_support import start_chromium


pytestmark = pytest.mark.browser
# no host name resolves (offline), but the server on 127.0.0.1 is reachable
FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def driver():
    browser = start_chromium(FLAGS)
    yield browser
    browser.quit()


def wait_for(driver, script: str, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def test_query_page_runs_a_query(driver, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(server.url + "/")
    wait_for(driver, "return document.querySelectorAll('#examples option').length > 7")
    Select(driver.find_element(By.ID, "examples")).select_by_value("problems-for-stakeholder")
    assert "SELECT" in driver.find_element(By.ID, "query").get_attribute("value")
    assert "stakeholder" in driver.find_element(By.ID, "about").text
    driver.find_element(By.ID, "run").click()
    wait_for(driver, "return document.querySelectorAll('#out td').length > 0")
    cells = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#out td")]
    assert any("Enterprises show little enthusiasm" in c for c in cells)

    markup = '<img src=x onerror="window.__pwned=1">'
    driver.execute_script("document.getElementById('query').value = arguments[0]",
                          f"SELECT ?x WHERE {{ BIND('{markup}' AS ?x) }}")
    driver.find_element(By.ID, "run").click()
    wait_for(driver, "return document.querySelectorAll('#out td').length === 1")
    assert driver.find_element(By.CSS_SELECTOR, "#out td").text == markup
    assert not driver.find_elements(By.CSS_SELECTOR, "#out img")
    assert driver.execute_script("return window.__pwned") is None

    driver.execute_script("document.getElementById('query').value = 'SELEC nothing'")
    driver.find_element(By.ID, "run").click()
    wait_for(driver, "return document.querySelector('#out pre') && "
                     "document.querySelector('#out pre').textContent.includes('Error 400')")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "400" not in e["message"]]
    assert not errors, errors  # a CSP violation (the script's hash) would be logged here
