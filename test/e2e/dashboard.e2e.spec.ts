// The dashboard in a real browser: headless Chromium from Debian, driven by playwright-core (which
// downloads no browser), against the embedded control plane after the seed chain. A screenshot of
// each page is kept under test/artifacts/ (CERTPLANE_TEST_ARTIFACTS overrides).
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { withManifest } from "./support/acme-fixtures.ts";
import { certctl } from "./support/certctl.ts";
import type { TestEmbeddedPlane } from "./support/embedded-plane.ts";
import { startTestEmbeddedPlane } from "./support/embedded-plane.ts";
import { applySeedAndWait } from "./support/seed-chain.ts";
import { repoRoot } from "./support/service-process.ts";

const artifacts = process.env.CERTPLANE_TEST_ARTIFACTS || join(repoRoot, "test", "artifacts");
const chromiumPath = process.env.CERTPLANE_CHROMIUM || "/usr/bin/chromium";

describe("the dashboard in headless Chromium", () => {
  let embedded: TestEmbeddedPlane;
  let browser: Browser;
  let page: Page;
  let dashboard: string;
  let beforeSeed: string;

  before(async () => {
    embedded = await startTestEmbeddedPlane("certplane-dashboard-");
    dashboard = embedded.plane.dashboardUrl ?? assert.fail("the embedded plane serves no dashboard");
    beforeSeed = new Date(Date.now() - 1_000).toISOString();
    await applySeedAndWait(embedded.server);
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await embedded?.dispose();
  });

  test("lists the seed's certificates on an expiry timeline, soonest expiry first", async () => {
    const response = await page.goto(dashboard);
    assert.equal(response?.status(), 200);
    const rows = await page
      .locator("#certificates tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-certificate")));
    assert.deepEqual([...rows].sort(), [
      "cert-manager/demo-ca",
      "demo-apps/myapp-tls",
      "demo-apps/short-lived-cert",
    ]);
    // short-lived-cert lives an hour, the others far longer.
    assert.equal(rows[0], "demo-apps/short-lived-cert");
    const bar = page.locator('svg.expiry-timeline g[data-certificate="demo-apps/myapp-tls"]');
    assert.equal(await bar.getAttribute("data-health"), "ready");
    assert.equal(await bar.locator("rect.validity").count(), 1);
    assert.equal(await bar.locator("line.renewal").count(), 1);
    assert.match(
      (await page.locator('tr[data-certificate="demo-apps/myapp-tls"]').textContent()) ?? "",
      /Ready/,
    );
    await page.screenshot({ path: join(artifacts, "dashboard-certificates.png"), fullPage: true });
  });

  test("search narrows the list by name, namespace or issuer", async () => {
    await page.goto(`${dashboard}/?q=demo-ca-issuer`);
    const rows = await page
      .locator("#certificates tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-certificate")));
    assert.deepEqual([...rows].sort(), ["demo-apps/myapp-tls", "demo-apps/short-lived-cert"]);
    await page.fill('input[name="q"]', "cert-manager");
    await Promise.all([page.waitForURL(/q=cert-manager/), page.press('input[name="q"]', "Enter")]);
    assert.deepEqual(
      await page
        .locator("#certificates tbody tr")
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-certificate"))),
      ["cert-manager/demo-ca"],
    );
  });

  test("a certificate's page shows its timeline and conditions, and never a private key", async () => {
    await page.goto(dashboard);
    await Promise.all([
      page.waitForURL(/\/certificates\/demo-apps\/myapp-tls/),
      page.click('a:text-is("myapp-tls")'),
    ]);
    const events = await page
      .locator("#timeline li")
      .evaluateAll((items) => items.map((li) => li.getAttribute("data-event")));
    assert.ok(events.includes("CertificateApplied"), events.join(", "));
    assert.ok(events.includes("CertificateRequestIssued"), events.join(", "));
    assert.ok(events.includes("CertificateIssued"), events.join(", "));
    assert.match((await page.locator("#conditions").textContent()) ?? "", /Ready\s*True/);
    const content = await page.content();
    assert.doesNotMatch(content, /PRIVATE KEY|tls\.key"?\s*:/);
    await page.screenshot({ path: join(artifacts, "dashboard-certificate.png"), fullPage: true });
  });

  test("escapes what it shows: markup in an annotation stays text", async () => {
    const manifest = [
      "apiVersion: cert-manager.io/v1",
      "kind: Certificate",
      "metadata:",
      "  name: escaped",
      "  namespace: demo-apps",
      "  annotations:",
      "    note: |-",
      `      <img src=x onerror="document.title='pwned'"><script>document.title="pwned"</script>`,
      "spec:",
      "  secretName: escaped-tls",
      "  dnsNames: [escaped.example.com]",
      "  issuerRef: { name: demo-ca-issuer, kind: ClusterIssuer }",
    ].join("\n");
    const applied = await withManifest(manifest, (file) => certctl(embedded.server, "apply", "-f", file));
    assert.equal(applied.code, 0, applied.stderr);
    await page.goto(`${dashboard}/certificates/demo-apps/escaped`);
    assert.equal(await page.locator("#annotations img, #annotations script").count(), 0);
    assert.match((await page.locator("#annotations").textContent()) ?? "", /<img src=x onerror=/);
    assert.notEqual(await page.title(), "pwned");
  });

  test("the time slider shows the system as it was: before the seed, nothing", async () => {
    await page.goto(`${dashboard}/?at=${encodeURIComponent(beforeSeed)}`);
    assert.match((await page.locator("p.past").textContent()) ?? "", /as it was at/);
    assert.equal(await page.locator("#certificates tbody tr").count(), 0);
    await page.goto(dashboard);
    const slider = page.locator("#instant-slider");
    assert.ok(Number(await slider.getAttribute("min")) <= Date.parse(beforeSeed) + 60_000);
  });

  test("refuses what it cannot answer with a clear page", async () => {
    const bad = await page.goto(`${dashboard}/?at=yesterday-ish`);
    assert.equal(bad?.status(), 400);
    assert.match((await page.locator("body").textContent()) ?? "", /at must be an RFC 3339 time/);
    const missing = await page.goto(`${dashboard}/certificates/demo-apps/nope`);
    assert.equal(missing?.status(), 404);
  });
});
