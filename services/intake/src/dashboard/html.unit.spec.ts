import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expiryTimeline } from "./expiry-timeline.ts";
import { constantHtml, html } from "./html.ts";

describe("dashboard html", () => {
  it("escapes every interpolated value, in text and in attributes, unless it is already markup", () => {
    const value = `"><script>alert('x')</script>&`;
    const page = html`<p title="${value}">${value}${html`<b>${value}</b>`}${constantHtml("<i>ok</i>")}</p>`;
    assert.equal(
      page.text,
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;" +
        "<b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b><i>ok</i></p>",
    );
  });

  it("renders nothing for absent values and joins lists", () => {
    assert.equal(html`${undefined}${null}${false}${["a", html`<br>`, 1]}`.text, "a<br>1");
  });

  it("draws a validity bar and a renewal tick per issued certificate, and says when one is not issued", () => {
    const svg = expiryTimeline(
      [
        {
          namespace: "apps",
          name: "web",
          health: "ready",
          notBefore: "2026-01-01T00:00:00Z",
          notAfter: "2026-04-01T00:00:00Z",
          renewalTime: "2026-03-01T00:00:00Z",
        },
        { namespace: "apps", name: "new", health: "pending" },
      ],
      new Date("2026-02-01T00:00:00Z"),
    ).text;
    assert.equal(svg.match(/<rect class="validity"/g)?.length, 1);
    assert.equal(svg.match(/<line class="renewal"/g)?.length, 1);
    assert.match(svg, /data-certificate="apps\/new" data-health="pending">[\s\S]*not issued/);
    assert.match(svg, /<line class="instant"/);
  });
});
