// The certificates on one time axis: a bar from notBefore to notAfter per certificate, a tick at
// its renewal time, coloured by state, and a line at the instant shown. Pure: data in, SVG out.
import type { SafeHtml } from "./html.ts";
import { html } from "./html.ts";

export type CertificateHealth = "ready" | "renewing" | "failing" | "expired" | "pending";

export interface TimelineRow {
  readonly namespace: string;
  readonly name: string;
  readonly health: CertificateHealth;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly renewalTime?: string;
}

export const healthColours: Readonly<Record<CertificateHealth, string>> = {
  ready: "#2e7d32",
  renewing: "#f9a825",
  failing: "#c62828",
  expired: "#757575",
  pending: "#1565c0",
};

const ROW_HEIGHT = 22;
const LABEL_WIDTH = 260;
const PLOT_WIDTH = 640;
const AXIS_HEIGHT = 24;

const day = 86_400_000;

export function expiryTimeline(rows: readonly TimelineRow[], instant: Date): SafeHtml {
  const times = rows.flatMap((row) =>
    [row.notBefore, row.notAfter, row.renewalTime].flatMap((t) => (t ? [Date.parse(t)] : [])),
  );
  const start = Math.min(instant.getTime(), ...times) - day;
  const end = Math.max(instant.getTime() + day, ...times) + day;
  const x = (time: number) => LABEL_WIDTH + ((time - start) / (end - start)) * PLOT_WIDTH;
  const height = AXIS_HEIGHT + rows.length * ROW_HEIGHT + 8;
  const width = LABEL_WIDTH + PLOT_WIDTH + 16;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => start + fraction * (end - start));
  return html`<svg class="expiry-timeline" role="img" aria-label="certificate expiry timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">
  ${ticks.map(
    (tick, index) =>
      html`<g class="tick"><line x1="${x(tick)}" x2="${x(tick)}" y1="${AXIS_HEIGHT - 4}" y2="${height}" stroke="#ddd"/><text x="${x(tick)}" y="12" font-size="10" text-anchor="${index === 0 ? "start" : index === ticks.length - 1 ? "end" : "middle"}">${new Date(tick).toISOString().slice(0, 10)}</text></g>`,
  )}
  ${rows.map((row, index) => {
    const y = AXIS_HEIGHT + index * ROW_HEIGHT;
    const from = row.notBefore ? x(Date.parse(row.notBefore)) : undefined;
    const to = row.notAfter ? x(Date.parse(row.notAfter)) : undefined;
    const renewal = row.renewalTime ? x(Date.parse(row.renewalTime)) : undefined;
    return html`<g class="timeline-row" data-certificate="${row.namespace}/${row.name}" data-health="${row.health}">
    <text x="4" y="${y + 15}" font-size="12">${row.namespace}/${row.name}</text>
    ${
      from !== undefined && to !== undefined
        ? html`<rect class="validity" x="${from}" y="${y + 4}" width="${Math.max(to - from, 1)}" height="${ROW_HEIGHT - 8}" fill="${healthColours[row.health]}" rx="3"><title>${row.notBefore} – ${row.notAfter}</title></rect>`
        : html`<text x="${LABEL_WIDTH + 4}" y="${y + 15}" font-size="11" fill="${healthColours[row.health]}">not issued</text>`
    }
    ${
      renewal === undefined
        ? ""
        : html`<line class="renewal" x1="${renewal}" x2="${renewal}" y1="${y + 2}" y2="${y + ROW_HEIGHT - 2}" stroke="#000" stroke-width="2"><title>renewal ${row.renewalTime}</title></line>`
    }
  </g>`;
  })}
  <line class="instant" x1="${x(instant.getTime())}" x2="${x(instant.getTime())}" y1="${AXIS_HEIGHT - 4}" y2="${height}" stroke="#6a1b9a" stroke-dasharray="4 2"><title>${instant.toISOString()}</title></line>
</svg>`;
}
