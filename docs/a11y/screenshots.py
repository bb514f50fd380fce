"""360 px screenshots of representative pages (issue 15 item 5): run against a seeded portal on
port 8015 with /tmp/h15/track.txt holding "<tracking number> <access code>"."""

from playwright.sync_api import sync_playwright

BASE = "http://127.0.0.1:8015"
OUT = "/work/wt-h15/docs/a11y"
PASSWORD = "demo12345"
with open("/tmp/h15/track.txt") as handle:
    number, code = handle.read().split()
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def session(browser, email=None, lang="id-ID"):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale=lang, device_scale_factor=1
    )
    page = context.new_page()
    if email:
        page.goto(BASE + "/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    return context, page


def shot(page, name, url=None):
    if url:
        page.goto(BASE + url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=f"{OUT}/{name}.png", full_page=True)
    print(f"{name}: {page.url} scrollWidth={width} title={page.title()!r}")


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    ctx, page = session(browser)
    shot(page, "transparency-360", "/transparansi/")
    page.goto(BASE + "/lacak/")
    page.fill("input[name=nomor]", number)
    page.fill("input[name=kode]", code)
    page.click("main form[method=post] button[type=submit]")
    shot(page, "tracking-result-360")
    page.goto(BASE + "/pengaduan/")
    page.locator("main form[method=post] button[type=submit]").last.click()
    shot(page, "form-with-errors-360")
    ctx.close()
    ctx, page = session(browser, "fo@demo.sopportal.invalid")
    shot(page, "inbox-360", "/petugas/")
    shot(page, "counter-360", "/petugas/loket/")
    ctx.close()
    ctx, page = session(browser, "kepala@demo.sopportal.invalid")
    shot(page, "dashboard-360", "/pantau/")
    page.goto(BASE + "/pantau/tabel-7/")
    if "Belum ada putaran" in page.content():
        page.locator("main form[method=post] button[type=submit]").click()
        page.wait_for_load_state()
    row = page.locator("main a[href*='/pantau/tabel-7/']").last
    if "/baris/" not in (page.url or ""):
        pass
    shot(page, "tabel7-round-360", "/pantau/tabel-7/1/")
    ctx.close()
    ctx, page = session(browser, "admin@demo.sopportal.invalid")
    page.goto(BASE + "/kelola/sop/DIKBUD-SMA/")
    new = page.get_by_role("button", name="Buat draf baru dari SOP ini")
    if new.count():
        new.click()
        page.wait_for_load_state()
    shot(page, "sop-editor-360")
    ctx.close()
    browser.close()
