// The read-only web dashboard intake serves (and the embedded default with it): the certificates
// on an expiry timeline, a page per certificate with its whole timeline, search, and a slider
// that shows the system at a past instant. It answers from the same API operations as certctl,
// so it shows nothing certctl could not, and no private key ever reaches it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CertplaneApi } from "@certplane/api";
import type { Clock } from "@certplane/domain";
import { isCertplaneError, ValidationError } from "@certplane/domain";
import type { Logger } from "@certplane/runtime";
import { byExpiry, certificateRow, matchesSearch } from "./certificate-rows.ts";
import type { SafeHtml } from "./html.ts";
import type { PageInstant } from "./pages.ts";
import { certificateListPage, certificatePage, errorPage } from "./pages.ts";

export interface DashboardOptions {
  readonly api: CertplaneApi;
  /** `host:port`; port 0 picks a free one. */
  readonly address: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface RunningDashboard {
  /** `http://host:port` as bound. */
  readonly url: string;
  stop(): Promise<void>;
}

// The pages carry no script but the slider's one-line submit, and load nothing from elsewhere.
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-hashes' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

class BadRequest extends Error {}

function isBeforeFirstEvent(error: unknown): boolean {
  return error instanceof ValidationError && error.issues.some((issue) => issue.rule === "beforeFirstEvent");
}

/** `at` (RFC 3339) or `atMs` (the slider's epoch milliseconds); absent: now. */
function instantOf(url: URL, now: Date): Date | undefined {
  const atMs = url.searchParams.get("atMs");
  const at = url.searchParams.get("at");
  if (atMs !== null && atMs !== "") {
    const ms = Number(atMs);
    if (!Number.isFinite(ms))
      throw new BadRequest(`atMs must be milliseconds since the epoch, got "${atMs}"`);
    // The slider's right end is "now": show the live state rather than a frozen instant.
    return ms >= now.getTime() - 1_000 ? undefined : new Date(ms);
  }
  if (at !== null && at !== "") {
    const parsed = Date.parse(at);
    if (Number.isNaN(parsed)) throw new BadRequest(`at must be an RFC 3339 time, got "${at}"`);
    return new Date(parsed);
  }
  return undefined;
}

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { api, clock, logger } = options;

  const instantFor = async (url: URL): Promise<PageInstant> => {
    const now = clock.now();
    const at = instantOf(url, now);
    const { items } = await api.get({ kind: "Certificate", allNamespaces: true });
    const created = items.flatMap((item) =>
      item.metadata.creationTimestamp ? [Date.parse(item.metadata.creationTimestamp)] : [],
    );
    return { ...(at ? { at } : {}), now, earliest: new Date(Math.min(now.getTime(), ...created)) };
  };

  const listPage = async (url: URL): Promise<SafeHtml> => {
    const instant = await instantFor(url);
    const query = url.searchParams.get("q") ?? "";
    const { items } = await api
      .get({
        kind: "Certificate",
        allNamespaces: true,
        ...(instant.at ? { at: instant.at.toISOString() } : {}),
      })
      .catch((error: unknown) => {
        // Before the first event the system was empty: the slider's left end shows just that.
        if (isBeforeFirstEvent(error)) return { items: [] };
        throw error;
      });
    const rows = items
      .map(certificateRow)
      .filter((row) => matchesSearch(row, query))
      .sort(byExpiry);
    return certificateListPage(rows, query, instant);
  };

  const detailPage = async (url: URL, namespace: string, name: string): Promise<SafeHtml> => {
    const instant = await instantFor(url);
    const described = await api.describe({
      kind: "Certificate",
      name,
      namespace,
      ...(instant.at ? { at: instant.at.toISOString() } : {}),
    });
    return certificatePage(certificateRow(described.object), described.object, described.events, instant);
  };

  const route = async (request: IncomingMessage): Promise<{ status: number; page: SafeHtml }> => {
    const url = new URL(request.url ?? "/", "http://dashboard");
    if (request.method !== "GET" && request.method !== "HEAD")
      return { status: 405, page: errorPage(405, "the dashboard is read-only") };
    if (url.pathname === "/") return { status: 200, page: await listPage(url) };
    const match = /^\/certificates\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (match) {
      return {
        status: 200,
        page: await detailPage(url, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!)),
      };
    }
    return { status: 404, page: errorPage(404, `nothing at ${url.pathname}`) };
  };

  const respond = (response: ServerResponse, status: number, page: SafeHtml) => {
    response.writeHead(status, { "content-type": "text/html; charset=utf-8", ...SECURITY_HEADERS });
    response.end(page.text);
  };

  const server = createServer((request, response) => {
    route(request).then(
      ({ status, page }) => respond(response, status, page),
      (error: unknown) => {
        if (error instanceof BadRequest) return respond(response, 400, errorPage(400, error.message));
        if (isCertplaneError(error) && error.code === "NOT_FOUND")
          return respond(response, 404, errorPage(404, error.message));
        if (isCertplaneError(error) && error.code === "VALIDATION")
          return respond(response, 400, errorPage(400, error.message));
        logger.warn("dashboard page failed", { path: request.url, error });
        respond(response, 500, errorPage(500, "the page could not be built; see the intake log"));
      },
    );
  });
  const [host, port] = splitAddress(options.address);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const url = `http://${bound.family === "IPv6" ? `[${bound.address}]` : bound.address}:${bound.port}`;
  logger.info("dashboard ready", { url });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(":");
  return [address.slice(0, colon).replace(/^\[|\]$/g, ""), Number(address.slice(colon + 1))];
}
