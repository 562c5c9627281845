// The dashboard's pages: the certificates on an expiry timeline, and one certificate's life.
import type { HistoryEntry, ResourceObject } from "@certplane/api";
import type { CertificateRow } from "./certificate-rows.ts";
import { expiryTimeline, healthColours } from "./expiry-timeline.ts";
import type { SafeHtml } from "./html.ts";
import { constantHtml, html } from "./html.ts";

export interface PageInstant {
  /** The instant shown; absent: now. */
  readonly at?: Date;
  readonly now: Date;
  /** The earliest instant the slider reaches (the first object's creation). */
  readonly earliest: Date;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin-top: 1rem; }
th, td { text-align: left; padding: .25rem .75rem; border-bottom: 1px solid #eee; font-size: .9rem; }
.health { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; vertical-align: middle; }
form.controls { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.past { background: #f3e5f5; padding: .25rem .5rem; }
ol.timeline { list-style: none; padding: 0; }
ol.timeline li { border-left: 3px solid #90a4ae; padding: .25rem .75rem; margin: 0 0 .25rem .5rem; }
ol.timeline time { color: #555; font-size: .8rem; margin-right: .5rem; }
`;

export function layout(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · certplane</title><style>${constantHtml(STYLE)}</style></head>
<body><header><a href="/">certplane</a> · ${title}</header>${body}</body></html>`;
}

function instantControls(instant: PageInstant, query: string, action: string): SafeHtml {
  const shown = instant.at ?? instant.now;
  return html`<form class="controls" method="get" action="${action}">
  ${action === "/" ? html`<label>Search <input type="search" name="q" value="${query}" placeholder="name, namespace or issuer"></label>` : ""}
  <label>As of <input id="instant-slider" type="range" name="atMs" min="${instant.earliest.getTime()}" max="${instant.now.getTime()}" step="1000" value="${shown.getTime()}" onchange="this.form.submit()"></label>
  <output>${shown.toISOString()}</output>
  <button type="submit">Show</button>
  ${instant.at ? html`<a href="${action}">now</a>` : ""}
</form>
${instant.at ? html`<p class="past">Showing the system as it was at <time>${instant.at.toISOString()}</time>.</p>` : ""}`;
}

export function certificateListPage(
  rows: readonly CertificateRow[],
  query: string,
  instant: PageInstant,
): SafeHtml {
  const suffix = instant.at ? `?at=${encodeURIComponent(instant.at.toISOString())}` : "";
  return layout(
    "Certificates",
    html`<h1>Certificates</h1>
${instantControls(instant, query, "/")}
${expiryTimeline(rows, instant.at ?? instant.now)}
<table id="certificates">
  <thead><tr><th></th><th>Namespace</th><th>Name</th><th>Ready</th><th>Issuer</th><th>Revision</th><th>Not after</th><th>Renewal</th></tr></thead>
  <tbody>${rows.map(
    (row) => html`<tr data-certificate="${row.namespace}/${row.name}">
    <td><span class="health" style="background:${healthColours[row.health]}" title="${row.health}"></span></td>
    <td>${row.namespace}</td>
    <td><a href="/certificates/${encodeURIComponent(row.namespace)}/${encodeURIComponent(row.name)}${suffix}">${row.name}</a></td>
    <td title="${row.readyMessage}">${row.readyReason}</td>
    <td>${row.issuer}</td>
    <td>${row.revision ?? "-"}</td>
    <td>${row.notAfter ?? "-"}</td>
    <td>${row.renewalTime ?? "-"}</td>
  </tr>`,
  )}</tbody>
</table>
${rows.length === 0 ? html`<p class="empty">No certificates${query ? html` match “${query}”` : ""}.</p>` : ""}`,
  );
}

export function certificatePage(
  row: CertificateRow,
  object: ResourceObject,
  events: readonly HistoryEntry[],
  instant: PageInstant,
): SafeHtml {
  const conditions =
    (object.status as { conditions?: { type: string; status: string; reason?: string; message?: string }[] })
      ?.conditions ?? [];
  const annotations = object.metadata.annotations ?? {};
  return layout(
    `${row.namespace}/${row.name}`,
    html`<h1>Certificate ${row.namespace}/${row.name}</h1>
${instantControls(instant, "", `/certificates/${encodeURIComponent(row.namespace)}/${encodeURIComponent(row.name)}`)}
${expiryTimeline([row], instant.at ?? instant.now)}
<h2>Conditions</h2>
<table id="conditions"><tbody>${conditions.map(
      (c) =>
        html`<tr><td>${c.type}</td><td>${c.status}</td><td>${c.reason ?? ""}</td><td>${c.message ?? ""}</td></tr>`,
    )}</tbody></table>
<h2>Annotations</h2>
<table id="annotations"><tbody>${Object.entries(annotations).map(
      ([key, value]) => html`<tr><td>${key}</td><td>${value}</td></tr>`,
    )}</tbody></table>
<h2>Timeline</h2>
<ol class="timeline" id="timeline">${events.map(
      (event) =>
        html`<li data-event="${event.event}"><time>${event.time}</time><strong>${event.event}</strong> ${event.object}: ${event.reason} — ${event.message}</li>`,
    )}</ol>`,
  );
}

export function errorPage(status: number, message: string): SafeHtml {
  return layout(`${status}`, html`<h1>${status}</h1><p>${message}</p>`);
}
