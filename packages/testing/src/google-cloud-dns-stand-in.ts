// Test support: Google Cloud DNS as its REST reference documents it (API v1 under `/dns/v1/projects/{project}`:
// `managedZones?dnsName=`, `managedZones/{zone}/rrsets?name=&type=`, `managedZones/{zone}/changes` and
// `changes/{id}`, errors `{error: {code, message, status}}`), and Google's OAuth2 token endpoint (`POST /token`)
// for the JWT-bearer grant of service account keys, which issues the bearer tokens it checks.
import { createVerify, generateKeyPairSync, randomBytes } from "node:crypto";
import { type JsonReply, type JsonRequest, startJsonStandInServer } from "./json-stand-in-server.ts";
import type { TxtMirror } from "./txt-mirror.ts";

export interface GoogleManagedZone {
  /** The zone's id in the project, e.g. `example-test`. */
  readonly name: string;
  /** With the trailing dot, e.g. `example.test.`. */
  readonly dnsName: string;
  readonly visibility?: "public" | "private";
}

export interface GoogleCloudDnsStandInOptions {
  readonly project: string;
  readonly zones: readonly GoogleManagedZone[];
  /** Service account emails; the stand-in makes a key for each. */
  readonly serviceAccounts: readonly string[];
  readonly mirror?: TxtMirror;
}

export interface GoogleRrset {
  readonly zone: string;
  readonly name: string;
  readonly ttl: number;
  readonly rrdatas: readonly string[];
}

export interface GoogleCloudDnsStandIn {
  /** The Cloud DNS API root: `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** The token endpoint, the audience assertions must name: `<baseUrl>/token`. */
  readonly tokenUrl: string;
  /** A key file (JSON) for one of the service accounts, as `gcloud iam service-accounts keys create` writes. */
  keyFile(email: string): string;
  rrsets(): readonly GoogleRrset[];
  /** How many times each change was asked for, by change id. */
  changePolls(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

const scope = "https://www.googleapis.com/auth/ndev.clouddns.readwrite";
const apiError = (code: number, status: string, message: string): JsonReply => [
  code,
  {
    error: {
      code,
      message,
      status,
      errors: [{ message, reason: status === "NOT_FOUND" ? "notFound" : "invalid" }],
    },
  },
];

export async function startGoogleCloudDnsStandIn(
  options: GoogleCloudDnsStandInOptions,
): Promise<GoogleCloudDnsStandIn> {
  const keys = new Map(
    options.serviceAccounts.map((email) => {
      const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
      return [email, { id: randomBytes(20).toString("hex"), ...pair }] as const;
    }),
  );
  const tokens = new Set<string>();
  const rrsets = new Map<string, GoogleRrset>();
  const changes = new Map<string, { zone: string; body: Record<string, unknown>; polls: number }>();
  let nextChange = 1;
  let tokenUrl = "";

  const grantError = (description: string): JsonReply => [
    400,
    { error: "invalid_grant", error_description: description },
  ];
  const token = (request: JsonRequest): JsonReply => {
    const form = new URLSearchParams(request.body);
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return [400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" }];
    }
    const [header = "", claims = "", signature = ""] = (form.get("assertion") ?? "").split(".");
    const decoded = (part: string) =>
      JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;
    const { alg } = decoded(header);
    const { iss, aud, scope: asked, iat, exp } = decoded(claims);
    const key = keys.get(String(iss));
    if (alg !== "RS256" || !key) return grantError("Invalid grant: account not found");
    const verified = createVerify("RSA-SHA256")
      .update(`${header}.${claims}`)
      .verify(key.publicKey, signature, "base64url");
    if (!verified) return grantError("Invalid JWT Signature.");
    if (aud !== tokenUrl) return grantError(`Invalid JWT: audience ${String(aud)} is not ${tokenUrl}`);
    if (typeof iat !== "number" || typeof exp !== "number" || exp - iat > 3600) {
      return grantError(
        "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
      );
    }
    if (asked !== scope)
      return [400, { error: "invalid_scope", error_description: `Invalid OAuth scope: ${String(asked)}` }];
    const issued = `ya29.${randomBytes(24).toString("base64url")}`;
    tokens.add(issued);
    return [200, { access_token: issued, expires_in: 3599, token_type: "Bearer" }];
  };

  const applyChange = async (zone: GoogleManagedZone, body: string): Promise<JsonReply> => {
    type Input = { name?: string; type?: string; ttl?: number; rrdatas?: string[] };
    const input = JSON.parse(body || "{}") as { additions?: Input[]; deletions?: Input[] };
    for (const d of input.deletions ?? []) {
      const held = rrsets.get(`${zone.name}/${d.name}`);
      if (
        d.type !== "TXT" ||
        !held ||
        JSON.stringify(held.rrdatas) !== JSON.stringify(d.rrdatas) ||
        held.ttl !== d.ttl
      ) {
        return apiError(
          412,
          "FAILED_PRECONDITION",
          `The resource record set 'entity.change.deletions[${d.name}]' does not match.`,
        );
      }
    }
    for (const a of input.additions ?? []) {
      const deleted = (input.deletions ?? []).some((d) => d.name === a.name);
      if (
        a.type !== "TXT" ||
        typeof a.name !== "string" ||
        !a.name.endsWith(zone.dnsName) ||
        !a.rrdatas?.length
      ) {
        return apiError(400, "INVALID_ARGUMENT", `Invalid value for 'entity.change.additions[${a.name}]'`);
      }
      if (!a.rrdatas.every((r) => /^".*"$/.test(r))) {
        return apiError(
          400,
          "INVALID_ARGUMENT",
          `Invalid value for 'entity.change.additions[${a.name}].rrdata'`,
        );
      }
      if (rrsets.has(`${zone.name}/${a.name}`) && !deleted) {
        return apiError(
          409,
          "ALREADY_EXISTS",
          `The resource 'entity.change.additions[${a.name}]' already exists`,
        );
      }
    }
    const mirrored = (name: string, rrdata: string) => ({
      fqdn: name,
      zone: zone.dnsName,
      value: rrdata.slice(1, -1),
    });
    for (const d of input.deletions ?? []) {
      const held = rrsets.get(`${zone.name}/${d.name}`);
      const kept = input.additions?.find((a) => a.name === d.name)?.rrdatas ?? [];
      for (const r of held?.rrdatas.filter((r) => !kept.includes(r)) ?? [])
        await options.mirror?.cleanUp(mirrored(String(d.name), r));
      rrsets.delete(`${zone.name}/${d.name}`);
    }
    for (const a of input.additions ?? []) {
      const name = String(a.name);
      const before = (input.deletions ?? []).find((d) => d.name === name)?.rrdatas ?? [];
      for (const r of a.rrdatas?.filter((r) => !before.includes(r)) ?? [])
        await options.mirror?.present(mirrored(name, r));
      rrsets.set(`${zone.name}/${name}`, {
        zone: zone.name,
        name,
        ttl: Number(a.ttl),
        rrdatas: a.rrdatas ?? [],
      });
    }
    const id = String(nextChange++);
    const change = { kind: "dns#change", id, ...input, startTime: new Date().toISOString() };
    changes.set(id, { zone: zone.name, body: change, polls: 0 });
    // Pending when made, done once asked for: a provider that does not ask returns too early.
    return [200, { ...change, status: "pending" }];
  };

  const route = async (request: JsonRequest): Promise<JsonReply> => {
    if (request.method === "POST" && request.url.pathname === "/token") return token(request);
    if (request.bearer === undefined || !tokens.has(request.bearer)) {
      return apiError(
        401,
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token.",
      );
    }
    const prefix = `/dns/v1/projects/${options.project}/managedZones`;
    if (!request.url.pathname.startsWith(prefix)) {
      return apiError(
        404,
        "NOT_FOUND",
        `The 'parameters.project' resource named '${request.url.pathname}' does not exist.`,
      );
    }
    const [, zoneName, collection, id, ...rest] = request.url.pathname.slice(prefix.length).split("/");
    if (zoneName === undefined && request.method === "GET") {
      const dnsName = request.url.searchParams.get("dnsName");
      const found = options.zones.filter((z) => dnsName === null || z.dnsName === dnsName);
      return [
        200,
        {
          kind: "dns#managedZonesListResponse",
          managedZones: found.map((z) => ({ kind: "dns#managedZone", visibility: "public", ...z })),
        },
      ];
    }
    const zone = options.zones.find((z) => z.name === zoneName);
    if (!zone || rest.length > 0) {
      return apiError(
        404,
        "NOT_FOUND",
        `The 'parameters.managedZone' resource named '${zoneName}' does not exist.`,
      );
    }
    if (collection === "rrsets" && request.method === "GET") {
      const name = request.url.searchParams.get("name");
      const type = request.url.searchParams.get("type");
      const found = [...rrsets.values()].filter(
        (r) =>
          r.zone === zone.name && (name === null || r.name === name) && (type === null || type === "TXT"),
      );
      return [
        200,
        {
          kind: "dns#resourceRecordSetsListResponse",
          rrsets: found.map(({ zone: _, ...r }) => ({ kind: "dns#resourceRecordSet", type: "TXT", ...r })),
        },
      ];
    }
    if (collection === "changes" && id === undefined && request.method === "POST")
      return await applyChange(zone, request.body);
    if (collection === "changes" && id !== undefined && request.method === "GET") {
      const change = changes.get(id);
      if (!change || change.zone !== zone.name)
        return apiError(404, "NOT_FOUND", `The 'parameters.changeId' resource named '${id}' does not exist.`);
      change.polls++;
      return [200, { ...change.body, status: "done" }];
    }
    return apiError(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${request.url.pathname}`);
  };

  const server = await startJsonStandInServer(route, (error) =>
    error instanceof SyntaxError
      ? apiError(400, "INVALID_ARGUMENT", error.message)
      : apiError(500, "INTERNAL", error.message),
  );
  tokenUrl = `${server.baseUrl}/token`;
  return {
    baseUrl: server.baseUrl,
    tokenUrl,
    keyFile: (email) => {
      const key = keys.get(email);
      if (!key) throw new Error(`no service account ${email} in the stand-in`);
      return JSON.stringify({
        type: "service_account",
        project_id: options.project,
        private_key_id: key.id,
        private_key: key.privateKey.export({ type: "pkcs8", format: "pem" }),
        client_email: email,
        client_id: "100000000000000000000",
        token_uri: "https://oauth2.googleapis.com/token",
      });
    },
    rrsets: () => [...rrsets.values()],
    changePolls: () => Object.fromEntries([...changes].map(([id, c]) => [id, c.polls])),
    close: server.close,
  };
}
