// Test support: Azure DNS as its REST reference documents it (record sets under
// `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/dnsZones/{zone}/TXT/{name}`,
// api-version 2018-05-01, errors `{error: {code, message}}`), and the Microsoft identity platform's
// client-credentials token endpoint (`POST /{tenant}/oauth2/v2.0/token`) that issues the bearer tokens it checks.
import { randomBytes } from "node:crypto";
import { type JsonReply, type JsonRequest, startJsonStandInServer } from "./json-stand-in-server.ts";
import type { TxtMirror } from "./txt-mirror.ts";

export interface AzureDnsStandInOptions {
  readonly tenantId: string;
  /** Client secrets by client (application) id of the tenant's service principals. */
  readonly clients: Readonly<Record<string, string>>;
  readonly subscriptionId: string;
  readonly resourceGroupName: string;
  /** Zone names without the trailing dot. */
  readonly zones: readonly string[];
  readonly mirror?: TxtMirror;
}

export interface AzureTxtRecordSet {
  readonly zone: string;
  /** Relative to the zone, "@" for the apex. */
  readonly name: string;
  readonly ttl: number;
  readonly values: readonly string[];
}

export interface AzureDnsStandIn {
  /** Serves both the management API and the token endpoint: `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  recordSets(): readonly AzureTxtRecordSet[];
  close(): Promise<void>;
}

const apiVersion = "2018-05-01";
const armError = (status: number, code: string, message: string): JsonReply => [
  status,
  { error: { code, message } },
];

export async function startAzureDnsStandIn(options: AzureDnsStandInOptions): Promise<AzureDnsStandIn> {
  const { tenantId, subscriptionId, resourceGroupName: group } = options;
  const tokens = new Set<string>();
  const sets = new Map<string, AzureTxtRecordSet>();
  const fqdnOf = (zone: string, name: string) => (name === "@" ? `${zone}.` : `${name}.${zone}.`);
  const shown = (set: AzureTxtRecordSet) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.Network/dnszones/${set.zone}/TXT/${set.name}`,
    name: set.name,
    type: "Microsoft.Network/dnszones/TXT",
    etag: randomBytes(8).toString("hex"),
    properties: {
      TTL: set.ttl,
      fqdn: fqdnOf(set.zone, set.name),
      provisioningState: "Succeeded",
      TXTRecords: set.values.map((value) => ({ value: [value] })),
    },
  });
  // Publishes what a write added and withdraws what it removed.
  const mirror = async (zone: string, name: string, before: readonly string[], after: readonly string[]) => {
    const record = (value: string) => ({ fqdn: fqdnOf(zone, name), zone: `${zone}.`, value });
    for (const v of after.filter((v) => !before.includes(v))) await options.mirror?.present(record(v));
    for (const v of before.filter((v) => !after.includes(v))) await options.mirror?.cleanUp(record(v));
  };

  const token = (request: JsonRequest): JsonReply => {
    const form = new URLSearchParams(request.body);
    if (form.get("grant_type") !== "client_credentials") {
      return [
        400,
        { error: "unsupported_grant_type", error_description: "AADSTS70003: grant type not supported" },
      ];
    }
    const client = form.get("client_id") ?? "";
    if (!(client in options.clients)) {
      const description = `AADSTS700016: Application with identifier '${client}' was not found in the directory '${tenantId}'.`;
      return [400, { error: "unauthorized_client", error_description: description }];
    }
    if (options.clients[client] !== form.get("client_secret")) {
      const description = `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client}'.`;
      return [401, { error: "invalid_client", error_description: description }];
    }
    if (form.get("scope") !== "https://management.azure.com/.default") {
      return [
        400,
        {
          error: "invalid_scope",
          error_description: "AADSTS70011: The provided value for scope is not valid.",
        },
      ];
    }
    const issued = randomBytes(24).toString("base64url");
    tokens.add(issued);
    return [200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: issued }];
  };

  const recordSet = async (request: JsonRequest, zone: string, name: string): Promise<JsonReply> => {
    const key = `${zone}/${name.toLowerCase()}`;
    const existing = sets.get(key);
    if (request.method === "GET") {
      if (existing) return [200, shown(existing)];
      const message = `The resource record '${name}' does not exist in resource group '${group}' of subscription '${subscriptionId}'.`;
      return armError(404, "NotFound", message);
    }
    if (request.method === "DELETE") {
      if (!existing) return [204];
      await mirror(zone, existing.name, existing.values, []);
      sets.delete(key);
      return [200];
    }
    if (request.method !== "PUT")
      return armError(405, "MethodNotAllowed", `${request.method} is not allowed`);
    const input = JSON.parse(request.body || "{}") as {
      properties?: { TTL?: unknown; TXTRecords?: { value?: unknown }[] };
    };
    const ttl = input.properties?.TTL;
    const records = input.properties?.TXTRecords;
    if (typeof ttl !== "number" || !Array.isArray(records) || records.length === 0) {
      return armError(400, "BadRequest", "The record set must have a TTL and at least one TXT record.");
    }
    const values: string[] = [];
    for (const r of records) {
      if (!Array.isArray(r.value) || r.value.length === 0 || !r.value.every((s) => typeof s === "string")) {
        return armError(400, "BadRequest", "Each TXT record must have a value of strings.");
      }
      values.push(r.value.join(""));
    }
    const set = { zone, name: name.toLowerCase(), ttl, values };
    await mirror(zone, set.name, existing?.values ?? [], values);
    sets.set(key, set);
    return [existing ? 200 : 201, shown(set)];
  };

  const route = async (request: JsonRequest): Promise<JsonReply> => {
    if (request.method === "POST" && request.url.pathname === `/${tenantId}/oauth2/v2.0/token`)
      return token(request);
    if (request.bearer === undefined || !tokens.has(request.bearer)) {
      return armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
    }
    if (request.url.searchParams.get("api-version") !== apiVersion) {
      return armError(
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
    }
    const prefix = `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/Microsoft.Network/dnsZones/`;
    if (!request.url.pathname.startsWith(prefix)) {
      return armError(404, "ResourceGroupNotFound", `Resource group '${group}' could not be found.`);
    }
    const [zone = "", type, name, ...rest] = request.url.pathname
      .slice(prefix.length)
      .split("/")
      .map(decodeURIComponent);
    if (!options.zones.includes(zone.toLowerCase()) || rest.length > 0) {
      const message = `The Resource 'Microsoft.Network/dnszones/${zone}' under resource group '${group}' was not found.`;
      return armError(404, "ResourceNotFound", message);
    }
    if (type === undefined && request.method === "GET") {
      return [200, { name: zone, type: "Microsoft.Network/dnszones", properties: { zoneType: "Public" } }];
    }
    if (type !== "TXT" || name === undefined)
      return armError(400, "BadRequest", "only TXT record sets are served here");
    return await recordSet(request, zone.toLowerCase(), name);
  };

  const server = await startJsonStandInServer(route, (error) =>
    error instanceof SyntaxError
      ? armError(400, "InvalidRequestContent", error.message)
      : armError(500, "InternalServerError", error.message),
  );
  return { baseUrl: server.baseUrl, recordSets: () => [...sets.values()], close: server.close };
}
