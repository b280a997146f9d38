#!/usr/bin/env python3
"""Real-browser walk through the flows (coordinator, mailroom, ED, translator) against a live
`caredocs serve`, with Debian's chromium + chromium-driver, driven by PyPI's selenium.

Usage: flows.py CAREDOCS_BINARY OUTPUT_DIR
Starts its own server on a free port with a fresh SQLite database, adds one user per role,
imports the example records, walks the flows, and saves screenshots to OUTPUT_DIR. Exit 0 when
every check passes; each failed check is printed.

The server speaks HTTPS with a throwaway self-signed certificate made here (openssl, one day);
chromium ignores certificate errors, urllib trusts that certificate. Every URL the browser
requested is collected (chromium's performance log): none may hold a searched name or date of
birth.

After every page the walk loads (each navigation goes through `Browser.get` or `navigate`),
axe-core (PyPI's axe-selenium-python) checks it against the WCAG 2.1 A and AA rules: any
violation fails the walk, printed with its rule, impact, target and HTML; out/browser/axe.json
sums up the pages checked and the violations.
"""
import json, os, shutil, signal, socket, ssl, subprocess, sys, tempfile, time, traceback, urllib.parse, urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait
from axe_selenium_python import Axe

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "Tests/CaresDocumentsTests/Records/shared-examples"
PASSWORD = "browser test password 1"
ARABIC = ROOT / "Tests/CaresDocumentsTests/Records/haddad-v2-ar.json"
ARABIC_RECORD = "CR-2025-000042-AR"


def strip_translations(x):
    """A version 2 record's texts in its content language only (translations objects → the
    English string)."""
    if isinstance(x, dict):
        if x and "en" in x and all(isinstance(v, str) and len(k) <= 7 for k, v in x.items()):
            return x["en"]
        return {k: strip_translations(v) for k, v in x.items()}
    if isinstance(x, list):
        return [strip_translations(v) for v in x]
    return x

# What the walk searches for: PHI that must never appear in a URL.
SEARCHED = ["mateo", "rivera", "2014-03-09"]
failures = []
TLS = None  # ssl.SSLContext trusting the throwaway certificate


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_certificate(workdir):
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def urlopen(url, headers=None, timeout=60):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=timeout, context=TLS)


def start_server(binary, workdir):
    global TLS
    db = str(workdir / "caredocs.sqlite")
    env = dict(os.environ, CAREDOCS_ACTOR="browser-test")
    for role in ["coordinator", "mailroom", "ed", "admin", "translator"]:
        subprocess.run([binary, "users", "add", f"{role}1", "--role", role, "--password-stdin", "--cost", "4", "--database", db],
                       input=PASSWORD + "\n", text=True, check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "queue", "import", "--database", db] + [str(p) for p in sorted(EXAMPLES.glob("*.json"))],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    # Haddad's version 2 record with the Arabic taken out: every passage waits for translation.
    untranslated = workdir / "haddad-untranslated.json"
    record = strip_translations(json.loads(ARABIC.read_text(encoding="utf-8")))
    record["member"]["id"] = "100555000111"  # a member of its own (Haddad's is CR-2025-000042's)
    untranslated.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    subprocess.run([binary, "queue", "import", "--database", db, str(untranslated)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    cert, key = make_certificate(workdir)
    TLS = ssl.create_default_context(cafile=str(cert))
    port = free_port()
    log = open(workdir / "server.log", "w")
    proc = subprocess.Popen([binary, "serve", "--port", str(port), "--database", db, "--data-dir", str(workdir / "data"), "--workers", "2",
                             "--tls-certificate", str(cert), "--tls-key", str(key)],
                            env=env, stdout=log, stderr=log)
    base = f"https://localhost:{port}"
    for _ in range(200):
        try:
            with urlopen(base + "/readyz", timeout=1) as r:
                if r.status == 200:
                    return proc, base
        except Exception:
            time.sleep(0.1)
    raise SystemExit("the server did not become ready; see " + str(workdir / "server.log"))


# axe-core's WCAG 2.1 A/AA rules, run on every page the walk loads, and axe's rules on headings,
# landmarks and focus order, which axe files under "best-practice" rather than a WCAG tag.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_EXTRA_RULES = ["heading-order", "empty-heading", "page-has-heading-one", "landmark-one-main", "region", "tabindex"]
axe_pages = []  # {"url", "title", "violations": [...]} per page checked
axe_version = None
axe_tags_without_rules = []
axe_rules = set()


def axe_check(d):
    """Runs axe-core on the page now loaded, once per document (a flag on `window` marks a
    document already checked), and fails the walk on any WCAG 2.1 A/AA violation."""
    if d.execute_script("return window.__caredocsAxeChecked === true"):
        return
    WebDriverWait(d, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    Axe(d).inject()
    global axe_version, axe_tags_without_rules
    axe_version = d.execute_script("return axe.version")
    # axe-core refuses a tag none of its rules has (the 3.1.1 that axe-selenium-python 2.1.6
    # bundles has no `wcag21a` rule yet): run the tags it has, and say which it has not.
    tags = [t for t in AXE_TAGS if d.execute_script("return axe.getRules([arguments[0]]).length", t) > 0]
    axe_tags_without_rules = [t for t in AXE_TAGS if t not in tags]
    rules = d.execute_script("return axe.getRules(arguments[0]).map(r => r.ruleId)", tags)
    known = set(d.execute_script("return axe.getRules().map(r => r.ruleId)"))
    rules += [r for r in AXE_EXTRA_RULES if r in known and r not in rules]
    d.set_script_timeout(180)
    results = d.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'rule', values: arguments[0]}, resultTypes: ['violations']})"
        "  .then(r => done(r), e => done({error: String(e)}));", rules)
    axe_rules.update(rules)
    if "error" in results:
        check(False, f"axe WCAG 2.1 AA: {d.current_url}: axe-core failed ({results['error']})")
        return
    d.execute_script("window.__caredocsAxeChecked = true")
    path = urllib.parse.urlsplit(d.current_url).path
    page = f"{path} ({d.title})"
    violations = [{"id": v["id"], "impact": v.get("impact"), "help": v.get("help"), "helpUrl": v.get("helpUrl"),
                   "nodes": [{"target": n.get("target"), "html": n.get("html"), "summary": n.get("failureSummary")} for n in v["nodes"]]}
                  for v in results["violations"]]
    axe_pages.append({"url": path, "title": d.title, "violations": violations})
    for v in violations:
        for n in v["nodes"]:
            print(f"  axe {v['id']} ({v['impact']}): {n['target']} {n['html'][:300]}", flush=True)
    check(violations == [], f"axe WCAG 2.1 AA: {page}: {sum(len(v['nodes']) for v in violations)} violation(s) "
                            f"({', '.join(v['id'] for v in violations)})")


class Browser(webdriver.Chrome):
    """Chromium whose every `get` is followed by the axe check of the page it loaded."""

    def get(self, url):
        super().get(url)
        axe_check(self)


def navigate(d, action, until=None, timeout=20):
    """Does `action` (a click, Enter in a field), waits until the old page is gone and the new
    one has loaded (and `until(d)`, if given), then checks the new page with axe. Every
    navigation of the walk other than `d.get` goes through here."""
    old = d.find_element(By.TAG_NAME, "html")
    action()

    def gone(_):
        try:
            old.is_enabled()
            return False
        except Exception:
            return True

    WebDriverWait(d, timeout).until(gone)
    WebDriverWait(d, timeout).until(lambda d: d.execute_script("return document.readyState") == "complete")
    if until:
        WebDriverWait(d, timeout).until(until)
    axe_check(d)


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100", "--disable-gpu",
              "--ignore-certificate-errors"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return Browser(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)


def click_and_wait(d, element, timeout=20):
    """Clicks a control that loads a new page and waits for it (see `navigate`)."""
    navigate(d, element.click, timeout=timeout)


def sign_in(d, base, user):
    d.delete_all_cookies()
    d.get(base + "/login")
    d.find_element(By.ID, "username").send_keys(user)
    field = d.find_element(By.ID, "password")
    navigate(d, lambda: field.send_keys(PASSWORD + Keys.ENTER), until=lambda d: "/login" not in d.current_url)


def accessible_basics(d, page):
    """Every visible form control has a label; one h1; the skip link is the first Tab stop."""
    unlabelled = d.execute_script("""
        return [...document.querySelectorAll('input,select,textarea')]
          .filter(e => e.type !== 'hidden' && e.type !== 'submit' && e.labels.length === 0 && !e.getAttribute('aria-label'))
          .map(e => e.name || e.id);""")
    check(unlabelled == [], f"{page}: every form control has a label (unlabelled: {unlabelled})")
    check(len(d.find_elements(By.TAG_NAME, "h1")) == 1, f"{page}: one h1")
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    first = d.execute_script("return document.activeElement.textContent")
    check(first == "Skip to main content", f"{page}: the first Tab stop is the skip link (got {first!r})")


def fetch_with_cookies(d, url):
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    with urlopen(url, headers={"Cookie": cookies}) as r:
        return r.status, r.headers.get("Content-Type"), r.read()


visited = []


def collect_urls(d):
    """Every URL chromium requested since the last call (pages, redirects, images, scripts)."""
    for entry in d.get_log("performance"):
        try:
            message = json.loads(entry["message"])["message"]
        except Exception:
            continue
        if message.get("method") == "Network.requestWillBeSent":
            visited.append(message["params"]["request"]["url"])
            redirect = message["params"].get("redirectResponse")
            if redirect:
                visited.append(redirect.get("url", ""))
    visited.append(d.current_url)


def no_phi_in_urls(d, flow):
    collect_urls(d)
    leaked = [u for u in visited if any(v in urllib.parse.unquote_plus(u).lower() for v in SEARCHED)]
    check(leaked == [], f"{flow}: no searched name or date of birth in any URL the browser visited ({len(visited)} URLs; leaked: {leaked[:3]})")


def coordinator(d, base, shots):
    sign_in(d, base, "coordinator1")
    check(d.current_url.endswith("/members"), "coordinator lands on the member search")
    cookie = d.get_cookie("caredocs_session")
    check(cookie is not None and cookie.get("httpOnly") and cookie.get("secure") and cookie.get("sameSite") == "Lax",
          f"session cookie is HttpOnly, Secure, SameSite=Lax ({cookie and {k: cookie.get(k) for k in ('httpOnly', 'secure', 'sameSite')}})")
    accessible_basics(d, "member search")
    check(d.find_element(By.CSS_SELECTOR, "form[role=search]").get_attribute("method") == "post", "the member search is a form post")
    field = d.find_element(By.ID, "name")
    navigate(d, lambda: field.send_keys("mateo" + Keys.ENTER), until=lambda d: d.find_element(By.PARTIAL_LINK_TEXT, "Rivera"))
    link = d.find_element(By.PARTIAL_LINK_TEXT, "Rivera")
    collect_urls(d)
    navigate(d, link.click, until=lambda d: "Documents: required content" in d.page_source)
    check("Ready" in d.page_source, "the checklist shows ready documents")
    Select(d.find_element(By.ID, "kind")).select_by_value("care-plan")
    Select(d.find_element(By.ID, "language")).select_by_value("es")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[aria-labelledby=documents] input[type=submit]").click, timeout=60,
             until=lambda d: d.find_elements(By.CSS_SELECTOR, "img.preview"))
    img = d.find_element(By.CSS_SELECTOR, "img.preview")
    WebDriverWait(d, 60).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img))
    check(d.execute_script("return arguments[0].naturalWidth", img) > 300, "the ICP preview (page 1, Spanish) loads as an image")
    d.save_screenshot(str(shots / "coordinator-icp-es.png"))
    pdf_link = d.find_element(By.PARTIAL_LINK_TEXT, "Download the PDF").get_attribute("href")
    status, ctype, body = fetch_with_cookies(d, pdf_link)
    check(status == 200 and ctype == "application/pdf" and body[:4] == b"%PDF", "the ICP PDF downloads with the session")
    check("Obligations" in d.page_source and "care-plan" in d.page_source, "the member's obligations are listed")
    # Rivera has no removal: the termination letter cannot be made, and the page says why.
    Select(d.find_element(By.ID, "kind")).select_by_value("termination-letter")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[aria-labelledby=documents] input[type=submit]").click)
    check("cannot be made yet" in d.page_source, "a document missing required content is refused on the member page")
    no_phi_in_urls(d, "coordinator")
    d.get(base + "/members?all=1")
    check("members found" in d.page_source, "a coordinator can list every member")
    d.get(base + "/members/CR-0000-NOSUCH")
    check("Not found" in d.page_source, "an unknown record answers the not-found page")


def mailroom(d, base, shots):
    sign_in(d, base, "mailroom1")
    check(d.current_url.endswith("/mailroom"), "mailroom lands on today's work")
    accessible_basics(d, "mailroom")
    rows = d.find_elements(By.CSS_SELECTOR, "table[aria-labelledby=tomail] tbody tr")
    check(len(rows) >= 1, f"today's work lists letters ({len(rows)})")
    marked = d.find_elements(By.CSS_SELECTOR, "td.overdue, td.at-risk")
    if marked:
        colour = d.execute_script("return getComputedStyle(arguments[0]).color", marked[0])
        check(colour in ("rgb(139, 0, 0)", "rgb(107, 69, 0)"), f"overdue/at-risk are coloured ({colour})")
    d.save_screenshot(str(shots / "mailroom-today.png"))
    # A batch, downloaded.
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[action='/mailroom/batches'] input[type=submit]").click, timeout=120,
             until=lambda d: "letter(s) on" in d.page_source or "failed" in d.page_source)
    d.save_screenshot(str(shots / "mailroom-batch.png"))
    links = d.find_elements(By.PARTIAL_LINK_TEXT, "Print file")
    check(len(links) == 1, "the batch offers its print file")
    if links:
        status, ctype, body = fetch_with_cookies(d, links[0].get_attribute("href"))
        check(status == 200 and body[:4] == b"%PDF", "the print file downloads")
    d.get(base + "/mailroom")
    # Mark the first letter printed; then its tracking number can be typed in.
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "table[aria-labelledby=tomail] button[aria-label$=printed]"))
    check("printed." in d.page_source, "the letter is marked printed")
    field = d.find_element(By.CSS_SELECTOR, "input.tracking")
    field.send_keys("RE123456784US")
    msg = d.execute_script("return arguments[0].validationMessage", field)
    check("check digit" in msg, f"a wrong check digit is flagged as typed ({msg!r})")
    d.save_screenshot(str(shots / "mailroom-printed.png"))
    # Posted anyway (form.submit() skips the browser's check): the server refuses it too.
    navigate(d, lambda: d.execute_script("arguments[0].form.submit()", field))
    check("check digit" in d.page_source and d.find_elements(By.CSS_SELECTOR, "main .error[role=alert]"),
          "the server refuses a wrong check digit with the page's error box")
    field = d.find_element(By.CSS_SELECTOR, "input.tracking")
    field.clear()
    field.send_keys("RE123456785US")
    check(d.execute_script("return arguments[0].validity.valid", field), "a valid tracking number passes as typed")
    click_and_wait(d, field.find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]"))
    check("RE123456785US" in d.page_source, "the tracking number is recorded")
    # Returned, with a reason.
    forms = d.find_elements(By.CSS_SELECTOR, "table[aria-labelledby=mailed] select[name=reason]")
    check(len(forms) >= 1, "the mailed letter can be marked returned")
    if forms:
        Select(forms[0]).select_by_visible_text("Moved, left no address")
        click_and_wait(d, forms[0].find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("Returned before: Moved, left no address" in d.page_source, "the returned letter is back on the list with its reason")
def ed(d, base, shots):
    sign_in(d, base, "ed1")
    check(d.current_url.endswith("/ed"), "ED staff land on the emergency lookup")
    accessible_basics(d, "emergency lookup")
    check(d.find_element(By.CSS_SELECTOR, "form[role=search]").get_attribute("method") == "post", "the emergency lookup is a form post")
    field = d.find_element(By.ID, "name")
    navigate(d, lambda: field.send_keys("Mateo" + Keys.ENTER), until=lambda d: "together" in d.page_source)
    check("date of birth together" in d.page_source, "a name alone is not enough")
    d.find_element(By.ID, "name").clear()
    d.find_element(By.ID, "name").send_keys("nobody")
    d.execute_script("document.getElementById('birthDate').value = '2001-01-01'")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[role=search] input[type=submit]").click,
             until=lambda d: "No child found" in d.page_source)
    collect_urls(d)
    d.get(base + "/ed")
    d.find_element(By.ID, "name").send_keys("mateo rivera ortiz")
    d.execute_script("document.getElementById('birthDate').value = '2014-03-09'")
    navigate(d, d.find_element(By.CSS_SELECTOR, "form[role=search] input[type=submit]").click,
             until=lambda d: "Emergency plan:" in d.title or "Emergency plan:" in d.page_source)
    collect_urls(d)
    headings = [h.text for h in d.find_elements(By.CSS_SELECTOR, "main h2")]
    check(headings[:2] == ["ALLERGIES", "Medications"], f"ALLERGIES come first ({headings[:3]})")
    d.save_screenshot(str(shots / "ed-emergency-plan.png"))
    status, ctype, body = fetch_with_cookies(d, d.find_element(By.PARTIAL_LINK_TEXT, "printable emergency plan").get_attribute("href"))
    check(status == 200 and body[:4] == b"%PDF", "the emergency plan PDF is one click away")
    check(len(d.find_elements(By.CSS_SELECTOR, "main form[method=post]")) == 0, "the ED view is read-only")
    d.get(base + "/ed/members/CR-2025-000042")
    check("Not allowed" in d.page_source, "ED staff cannot open a plan no search of theirs matched (a guessed id)")
    d.get(base + "/members")
    check("Not allowed" in d.page_source, "ED staff cannot open the coordinators' pages")
    no_phi_in_urls(d, "ED")


def translator(d, base, shots):
    # The coordinator asks for the Arabic translation from the member page.
    sign_in(d, base, "coordinator1")
    d.get(base + "/members/" + ARABIC_RECORD)
    check("passages not yet translated into Arabic" in d.page_source, "the member page counts the untranslated passages")
    button = d.find_element(By.XPATH, "//button[normalize-space()='Ask for an Arabic translation']")
    click_and_wait(d, button)
    check("Withdraw the Arabic request" in d.page_source, "the request is shown with its withdraw button")
    # The translator: the list, then the record's passages side by side.
    sign_in(d, base, "translator1")
    check(d.current_url.endswith("/translations"), "a translator lands on the translation list")
    accessible_basics(d, "translation list")
    check("Layla" not in d.page_source and "Haddad" not in d.page_source, "the list shows no member name")
    click_and_wait(d, d.find_element(By.LINK_TEXT, ARABIC_RECORD))
    accessible_basics(d, "translation page")
    area = d.find_element(By.ID, "t0")
    check(area.get_attribute("dir") == "rtl" and area.get_attribute("lang") == "ar", "Arabic textareas are right to left, lang=ar")
    area.send_keys("نص تجريبي")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "button[name=save][value='0:drafted']"))
    check("Drafted by translator1" in d.page_source, "a saved passage shows who drafted it")
    d.save_screenshot(str(shots / "translator-ar.png"))
    proof = d.find_element(By.PARTIAL_LINK_TEXT, "Emergency plan").get_attribute("href")
    status, ctype, body = fetch_with_cookies(d, proof)
    check(status == 200 and ctype == "application/pdf" and body[:4] == b"%PDF", "the Arabic proof PDF downloads")
    d.get(base + "/translations/catalogs")
    check("Catalog" in d.title, "a translator can read the catalog texts")
    d.get(base + "/members/" + ARABIC_RECORD)
    check("Not allowed" in d.page_source, "a translator may not open the member page")


NEW_MEMBER = "100777000555"


def fill(d, key, value):
    """Types into (or chooses in) the editor's field named by its JSON path."""
    el = d.find_element(By.ID, "in-" + key)
    if el.tag_name == "select":
        Select(el).select_by_value(value)
    elif el.get_attribute("type") == "checkbox":
        if not el.is_selected():
            el.click()
    else:
        el.clear()
        el.send_keys(value)


def fill_all(d, values):
    for key, value in values.items():
        fill(d, key, value)


def add_row(d, list_key):
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, f"button[value='add {list_key}']"))


def save(d):
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "form.editor button[value=save]"))


def icp_missing(d):
    """The ICP row of the member page's checklist: (ready?, the fields its links name)."""
    row = d.find_element(By.XPATH, "//tr[th[normalize-space()='Individual Care Plan (ICP)']]")
    links = [a.get_attribute("href") for a in row.find_elements(By.TAG_NAME, "a")]
    return "Ready" in row.text, links


def fix(d, key):
    """Fills what one missing item of the checklist needs; False when the walk does not know it."""
    has = lambda k: len(d.find_elements(By.ID, "in-" + k)) > 0
    if key == "provider.name":
        fill(d, "provider.name", "Example CARES Clinic")
    elif key.startswith("careTeam"):
        if not has("careTeam.0.id"):
            add_row(d, "careTeam")
        fill_all(d, {"careTeam.0.id": "cm1", "careTeam.0.name": "Dana Care", "careTeam.0.role": "care-coordinator",
                     "careTeam.0.contact.phone": "617-555-0100", "careTeam.0.involvedInEmergencyCare": "true",
                     "enrollment.designatedCareManagerId": "cm1"})
    elif key.startswith("healthSummary"):
        for f in ["medicalHistory", "behavioralHistory", "personalCircumstances", "educationalCircumstances", "socialCircumstances"]:
            fill(d, "healthSummary." + f, "Written in the care planning meeting.")
    elif key in ("currentServices", "socialNeeds", "transitions", "education", "strengths",
                 "emergency.medications", "emergency.accommodations"):
        fill(d, key + ".#none", True)
    elif key == "goals":
        if not has("goals.0.id"):
            add_row(d, "goals")
        fill_all(d, {"goals.0.id": "g1", "goals.0.domain": "clinical", "goals.0.term": "short",
                     "goals.0.description": "Noa sleeps through the night most nights."})
    elif key in ("emergency", "emergency.allergies"):
        for k in ("emergency.medications", "emergency.accommodations"):
            if has(k + ".#none"):
                fill(d, k + ".#none", True)
        fill(d, "emergency.noKnownAllergies", "true")
    elif key == "carePlanApproval":
        fill(d, "carePlanApproval.method", "pending")
    else:
        return False
    return True


def editor(d, base, shots):
    sign_in(d, base, "coordinator1")
    d.get(base + "/members/new")
    accessible_basics(d, "new member editor")
    check(len(d.find_elements(By.CSS_SELECTOR, "form.editor fieldset legend")) > 10, "the editor groups fields in fieldsets with legends")
    # Start from a JSON file: chosen with the file picker (the small script reads it into the
    # textarea), the form filled, nothing saved.
    d.find_element(By.CSS_SELECTOR, "details.from-json summary").click()
    d.find_element(By.ID, "in-json-file").send_keys(str(ROOT / "Tests/CaresDocumentsTests/Records/minimal.json"))
    WebDriverWait(d, 10).until(lambda d: d.find_element(By.ID, "in-json").get_attribute("value").strip().startswith("{"))
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "button[value=load-json]"))
    minimal = json.loads((ROOT / "Tests/CaresDocumentsTests/Records/minimal.json").read_text(encoding="utf-8"))
    check(d.find_element(By.ID, "in-member.id").get_attribute("value") == minimal["member"]["id"],
          "a chosen JSON file fills the form")
    d.get(base + "/members/new")
    # Blank: a save without the member id is refused next to the field, and what was typed stays.
    fill(d, "member.firstName", "Noa")
    fill(d, "member.lastName", "Walker")
    fill(d, "member.dateOfBirth", "2018-05-04")
    save(d)
    check(len(d.find_elements(By.ID, "err-member.id")) == 1, "a missing member id is shown next to its field")
    check(d.find_element(By.ID, "in-member.lastName").get_attribute("value") == "Walker", "the refused form keeps what was typed")
    fill(d, "member.id", NEW_MEMBER)
    fill(d, "member.primaryLanguage", "es")
    save(d)
    check(f"/members/{NEW_MEMBER}" in d.current_url and "version 1" in d.page_source, "the new member is saved as version 1")
    # Fix every missing item the ICP's checklist names, following its links, until it is ready.
    ready = False
    for round_ in range(6):
        ready, links = icp_missing(d)
        if ready:
            break
        keys = [urllib.parse.unquote(l.split("#field-", 1)[1]) for l in links if "#field-" in l]
        d.get(links[0])
        check(len(d.find_elements(By.ID, "field-" + keys[0])) == 1, f"the checklist link leads to its field ({keys[0]})")
        unknown = [k for k in keys if not fix(d, k)]
        check(unknown == [], f"round {round_ + 1}: the walk knows every missing item ({unknown})")
        save(d)
        if "things to fix" in d.page_source or "thing to fix" in d.page_source:
            check(False, "the save was refused: " + d.find_element(By.ID, "problems").text[:300])
            break
    check(ready, "the ICP is ready after fixing what the checklist named")
    check("Not needed until a removal is recorded" in d.page_source, "removal documents are not needed before a removal")
    d.save_screenshot(str(shots / "editor-icp-ready.png"))
    # Two tabs on the same version: the second save is refused with what changed, nothing lost.
    edit = f"{base}/members/{NEW_MEMBER}/edit"
    d.get(edit + "#field-goals.0")
    spanish = d.find_elements(By.ID, "in-goals.0.description~es")
    check(len(spanish) == 1 and spanish[0].get_attribute("lang") == "es",
          "a translatable field has the member's language (Spanish) beside English")
    d.save_screenshot(str(shots / "editor-goal-es.png"))
    first = d.current_window_handle
    d.switch_to.new_window("tab")
    d.get(edit)
    fill(d, "education.school", "Lincoln Elementary")
    save(d)
    check("Saved" in d.page_source, "the first tab's save makes a new version")
    d.close()
    d.switch_to.window(first)
    fill(d, "education.grade", "2")
    save(d)
    check("Not saved: someone else saved this record" in d.page_source, "the second tab's save is refused")
    check("Lincoln Elementary" in d.page_source, "the refusal shows what the other save changed")
    check(d.find_element(By.ID, "in-education.grade").get_attribute("value") == "2", "the refused form keeps what was typed")
    check(d.find_element(By.ID, "in-education.school").get_attribute("value") == "Lincoln Elementary",
          "the other save's change to a field left alone is taken into the form")
    accessible_basics(d, "refused save")
    d.save_screenshot(str(shots / "editor-conflict.png"))
    save(d)
    check("Saved" in d.page_source, "saving again makes the next version")
    d.get(edit)
    check(d.find_element(By.ID, "in-education.school").get_attribute("value") == "Lincoln Elementary"
          and d.find_element(By.ID, "in-education.grade").get_attribute("value") == "2", "the saved version has both tabs' changes")
    # The versions and a diff.
    d.get(f"{base}/members/{NEW_MEMBER}/versions")
    accessible_basics(d, "versions")
    links = d.find_elements(By.PARTIAL_LINK_TEXT, "What changed in version")
    check(len(links) >= 2, f"the versions page links each version's changes ({len(links)})")
    click_and_wait(d, links[-1])
    check("Termination date" not in d.page_source and "Provider name" in d.page_source, "the diff names fields in plain words")
    d.save_screenshot(str(shots / "editor-diff.png"))


def admin(d, base, shots):
    """An administrator's pages (every menu), and the sign-in page after a wrong password."""
    d.delete_all_cookies()
    d.get(base + "/login")
    d.find_element(By.ID, "username").send_keys("admin1")
    field = d.find_element(By.ID, "password")
    navigate(d, lambda: field.send_keys("not the password" + Keys.ENTER))
    check("not right" in d.page_source, "a wrong password is refused on the sign-in page")
    sign_in(d, base, "admin1")
    check(d.current_url.endswith("/members"), "an administrator lands on the member search")
    for path in ["/mailroom", "/ed", "/translations", "/translations/catalogs?language=km"]:
        d.get(base + path)
        check("Not allowed" not in d.page_source, f"an administrator opens {path}")
    d.get(base + "/no/such/page")
    check("Not found" in d.page_source, "an unknown path answers the not-found page")


def openapi(base):
    """The served OpenAPI document is valid OpenAPI 3.1 (openapi-spec-validator)."""
    import yaml
    from openapi_spec_validator import validate
    with urlopen(base + "/openapi.yaml", timeout=10) as r:
        check(r.headers.get("Strict-Transport-Security", "").startswith("max-age="), "HTTPS answers carry Strict-Transport-Security")
        spec = yaml.safe_load(r.read())
    try:
        validate(spec)
        check(True, "the served /openapi.yaml is valid OpenAPI 3.1")
    except Exception as e:
        check(False, f"the served /openapi.yaml is valid OpenAPI 3.1 ({str(e).splitlines()[0]})")


def main():
    binary, out = sys.argv[1], Path(sys.argv[2])
    shots = out / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="caredocs-browser-"))
    proc, base = start_server(binary, workdir)
    d = None
    try:
        openapi(base)
        d = browser()
        for flow in (coordinator, mailroom, ed, translator, editor, admin):
            try:
                flow(d, base, shots)
            except Exception:
                traceback.print_exc()
                failures.append(f"{flow.__name__}: {traceback.format_exc().splitlines()[-1]}")
                d.save_screenshot(str(shots / f"{flow.__name__}-failure.png"))
    finally:
        if d:
            d.quit()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "killed"
        check(code == 0, f"the server stops gracefully on SIGTERM (exit {code})")
        log = (workdir / "server.log").read_text()
        for phi in ["Mateo", "Rivera", "2014-03-09", "100234567891", "Layla", "Walker", "2018-05-04"]:
            check(phi not in log, f"no PHI in the server log ({phi})")
        shutil.copy(workdir / "server.log", out / "server.log")
        shutil.rmtree(workdir, ignore_errors=True)
    pages_with = [p for p in axe_pages if p["violations"]]
    (out / "axe.json").write_text(json.dumps({
        "axeCore": axe_version,
        "tags": AXE_TAGS,
        "tagsWithoutRules": axe_tags_without_rules,
        "extraRules": AXE_EXTRA_RULES,
        "rulesRun": sorted(axe_rules),
        "distinctPaths": len({p["url"] for p in axe_pages}),
        "pagesChecked": len(axe_pages),
        "pagesWithViolations": len(pages_with),
        "violations": sum(len(v["nodes"]) for p in axe_pages for v in p["violations"]),
        "pages": axe_pages,
    }, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"axe-core {axe_version}: {len(axe_pages)} pages checked, {len(pages_with)} with violations"
          + (f" (no rules tagged {', '.join(axe_tags_without_rules)} in this axe-core)" if axe_tags_without_rules else "")
          + f"; see {out / 'axe.json'}")
    print(f"\n{len(failures)} failed" if failures else "\nall browser checks passed")
    print(f"screenshots: {shots}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
