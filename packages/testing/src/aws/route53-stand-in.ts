// Test support: the part of Amazon Route 53's REST/XML API (version 2013-04-01) that a DNS-01 solver uses,
// and STS AssumeRole (Query API, 2011-06-15), on one loopback HTTP server. Requests must carry a valid
// Signature Version 4 by a known key, so the real AWS SDK is what drives it (pointed here with `endpoint`
// or AWS_ENDPOINT_URL_ROUTE_53 / AWS_ENDPOINT_URL_STS). Changes stay PENDING for a set number of GetChange
// calls before INSYNC, which lets a test see that a client waits without any clock in the picture.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TxtMirror } from "../txt-mirror.ts";
import {
  absolute,
  InvalidChangeBatch,
  type RecordSetChange,
  Route53Zones,
  type StoredRecordSet,
} from "./route53-zones.ts";
import { type SignatureFailure, verifySigV4 } from "./sigv4.ts";
import { elements, text, toXml, type XmlTree } from "./xml.ts";

export interface AwsKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface Route53StandInOptions {
  /** `id` fixes the hosted zone id (a manifest's hostedZoneID); otherwise one is made up. */
  readonly zones: readonly { readonly name: string; readonly id?: string; readonly privateZone?: boolean }[];
  /** Long-term keys (an IAM user's) the stand-in accepts. */
  readonly keys: readonly AwsKey[];
  /** Role ARNs that any of `keys` may assume through STS AssumeRole. */
  readonly roles?: readonly string[];
  /** How many GetChange calls answer PENDING before INSYNC (default 1). */
  readonly pendingPolls?: number;
  /** Publishes TXT changes (an RFC 2136 provider into bind9, or challtestsrv), so resolvers see them. */
  readonly mirror?: TxtMirror;
}

/** One authenticated call: the operation and who made it (an access key id, or the assumed role's ARN). */
export interface Route53Call {
  readonly operation: string;
  readonly principal: string;
}

export interface Route53StandIn {
  /** `http://127.0.0.1:<port>`: the endpoint of both Route 53 and STS. */
  readonly endpoint: string;
  zoneId(name: string): string;
  recordSets(): readonly StoredRecordSet[];
  calls(): readonly Route53Call[];
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly xml: string;
}

interface Session extends AwsKey {
  readonly sessionToken: string;
  readonly roleArn: string;
}

const route53Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
const stsNs = "https://sts.amazonaws.com/doc/2011-06-15/";
const token = (bytes: number) => randomBytes(bytes).toString("base64url");
const requestId = () => randomBytes(16).toString("hex");

const document = (root: string, ns: string, tree: XmlTree): Reply => ({
  status: 200,
  xml: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${ns}">${toXml(tree)}</${root}>`,
});

// Route 53 is also reported to answer some InvalidChangeBatch errors with an <InvalidChangeBatch><Messages>
// root; the stand-in uses the ErrorResponse form throughout, whose Error/Code the SDK maps to its error classes.
const failure = (status: number, ns: string, code: string, message: string): Reply => ({
  status,
  xml: `<?xml version="1.0"?>\n<ErrorResponse xmlns="${ns}">${toXml({
    Error: { Type: status >= 500 ? "Receiver" : "Sender", Code: code, Message: message },
    RequestId: requestId(),
  })}</ErrorResponse>`,
});

const signatureMessages: Record<SignatureFailure, string> = {
  MissingAuthenticationToken: "Missing Authentication Token",
  InvalidClientTokenId: "The security token included in the request is invalid.",
  SignatureDoesNotMatch:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
};

function parseChanges(body: string): RecordSetChange[] {
  return elements(body, "Change").map((change) => {
    const set = elements(change, "ResourceRecordSet")[0] ?? "";
    const ttl = text(set, "TTL");
    const setIdentifier = text(set, "SetIdentifier");
    return {
      action: text(change, "Action") ?? "",
      recordSet: {
        name: text(set, "Name") ?? "",
        type: text(set, "Type") ?? "",
        ttl: ttl === undefined ? 0 : Number(ttl),
        ...(setIdentifier === undefined ? {} : { setIdentifier }),
        ...(text(set, "MultiValueAnswer") === "true" ? { multiValueAnswer: true } : {}),
        values: elements(set, "ResourceRecord").map((record) => text(record, "Value") ?? ""),
      },
    };
  });
}

/** Route 53 lists zones ordered by their labels reversed (com.example.www), starting at `dnsname`. */
const sortKey = (name: string) => name.replace(/\.$/, "").split(".").reverse().join(".");

export async function startRoute53StandIn(options: Route53StandInOptions): Promise<Route53StandIn> {
  const zones = new Route53Zones(options.zones, options.mirror);
  const sessions = new Map<string, Session>();
  const changes = new Map<string, { submittedAt: string; pendingPolls: number; comment?: string }>();
  const calls: Route53Call[] = [];

  const changeInfo = (id: string) => {
    const change = changes.get(id);
    return {
      Id: `/change/${id}`,
      Status: change && change.pendingPolls > 0 ? "PENDING" : "INSYNC",
      SubmittedAt: change?.submittedAt ?? "",
      Comment: change?.comment,
    };
  };

  const route53 = async (method: string, url: URL, body: string, operation: (name: string) => void) => {
    const rrset = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/.exec(url.pathname);
    if (rrset && method === "POST") {
      operation("ChangeResourceRecordSets");
      const zone = zones.zone(decodeURIComponent(rrset[1] ?? ""));
      if (!zone)
        return failure(404, route53Ns, "NoSuchHostedZone", `No hosted zone found with ID: ${rrset[1]}`);
      try {
        await zones.apply(zone, parseChanges(body));
      } catch (error) {
        if (!(error instanceof InvalidChangeBatch)) throw error;
        return failure(400, route53Ns, "InvalidChangeBatch", `[${error.message}]`);
      }
      const id = `C${randomBytes(10).toString("hex").toUpperCase()}`;
      const comment = text(body, "Comment");
      changes.set(id, {
        submittedAt: new Date().toISOString(),
        pendingPolls: options.pendingPolls ?? 1,
        ...(comment === undefined ? {} : { comment }),
      });
      return document("ChangeResourceRecordSetsResponse", route53Ns, { ChangeInfo: changeInfo(id) });
    }
    const change = /^\/2013-04-01\/change\/([^/]+)$/.exec(url.pathname);
    if (change && method === "GET") {
      operation("GetChange");
      const id = decodeURIComponent(change[1] ?? "");
      const known = changes.get(id);
      if (!known)
        return failure(
          404,
          route53Ns,
          "NoSuchChange",
          `A change with the specified change ID does not exist: ${id}`,
        );
      const reply = document("GetChangeResponse", route53Ns, { ChangeInfo: changeInfo(id) });
      known.pendingPolls = Math.max(0, known.pendingPolls - 1);
      return reply;
    }
    if (url.pathname === "/2013-04-01/hostedzonesbyname" && method === "GET") {
      operation("ListHostedZonesByName");
      const dnsName = url.searchParams.get("dnsname");
      const maxItems = Number(url.searchParams.get("maxitems") ?? 100);
      const ordered = [...zones.zones].sort((a, b) => sortKey(a.name).localeCompare(sortKey(b.name)));
      const from =
        dnsName === null ? ordered : ordered.filter((z) => sortKey(z.name) >= sortKey(absolute(dnsName)));
      const page = from.slice(0, maxItems);
      const next = from[maxItems];
      return document("ListHostedZonesByNameResponse", route53Ns, {
        HostedZones: {
          HostedZone: page.map((z) => ({
            Id: `/hostedzone/${z.id}`,
            Name: z.name,
            CallerReference: z.id,
            Config: { PrivateZone: z.privateZone },
            ResourceRecordSetCount: zones.recordSets().filter((s) => s.zoneId === z.id).length + 2,
          })),
        },
        DNSName: dnsName ?? undefined,
        IsTruncated: next !== undefined,
        NextDNSName: next?.name,
        NextHostedZoneId: next?.id,
        MaxItems: maxItems,
      });
    }
    // Guess: what Route 53 says to a path it has no operation for.
    return failure(404, route53Ns, "NotFound", `${method} ${url.pathname} is not part of this stand-in`);
  };

  const sts = (form: URLSearchParams, principal: string, operation: (name: string) => void): Reply => {
    const action = form.get("Action");
    if (action !== "AssumeRole")
      return failure(400, stsNs, "InvalidAction", `Could not find operation ${action}`);
    operation("AssumeRole");
    const roleArn = form.get("RoleArn") ?? "";
    const sessionName = form.get("RoleSessionName") ?? "";
    if (!options.roles?.includes(roleArn)) {
      return failure(
        403,
        stsNs,
        "AccessDenied",
        `User: ${principal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const session = {
      accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: token(30),
      sessionToken: token(48),
      roleArn,
    };
    sessions.set(session.accessKeyId, session);
    return document("AssumeRoleResponse", stsNs, {
      AssumeRoleResult: {
        Credentials: {
          AccessKeyId: session.accessKeyId,
          SecretAccessKey: session.secretAccessKey,
          SessionToken: session.sessionToken,
          Expiration: new Date(Date.now() + 3600_000).toISOString(),
        },
        AssumedRoleUser: {
          Arn: `${roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/${sessionName}`,
          AssumedRoleId: `AROA${randomBytes(8).toString("hex").toUpperCase()}:${sessionName}`,
        },
      },
      ResponseMetadata: { RequestId: requestId() },
    });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://stand-in");
    const ns = url.pathname.startsWith("/2013-04-01/") ? route53Ns : stsNs;
    const secretOf = (id: string) =>
      options.keys.find((k) => k.accessKeyId === id)?.secretAccessKey ?? sessions.get(id)?.secretAccessKey;
    const signed = verifySigV4({ method, url: request.url ?? "/", headers: request.headers, body }, secretOf);
    let reply: Reply;
    if (!signed.ok) {
      reply = failure(403, ns, signed.code, signatureMessages[signed.code]);
    } else {
      const session = sessions.get(signed.scope.accessKeyId);
      const principal = session?.roleArn ?? signed.scope.accessKeyId;
      const operation = (name: string) => calls.push({ operation: name, principal });
      if (session && request.headers["x-amz-security-token"] !== session.sessionToken) {
        reply = failure(403, ns, "InvalidClientTokenId", signatureMessages.InvalidClientTokenId);
      } else if (ns === route53Ns) {
        reply = await route53(method, url, body.toString(), operation);
      } else {
        reply = sts(new URLSearchParams(body.toString()), principal, operation);
      }
    }
    response.writeHead(reply.status, { "content-type": "text/xml", "x-amzn-requestid": requestId() });
    response.end(reply.xml);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      response.writeHead(500, { "content-type": "text/xml" });
      response.end(failure(500, route53Ns, "InternalFailure", error.message).xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    zoneId(name) {
      const zone = zones.zones.find((z) => z.name === absolute(name));
      if (!zone) throw new Error(`the stand-in has no zone ${name}`);
      return zone.id;
    },
    recordSets: () => zones.recordSets(),
    calls: () => [...calls],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
