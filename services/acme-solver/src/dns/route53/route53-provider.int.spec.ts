import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, NotFoundError, TimeoutError, ValidationError } from "@certplane/domain";
import { type Bind9Handle, type Route53StandIn, startBind9, startRoute53StandIn } from "@certplane/testing";
import { Rfc2136Provider } from "../rfc2136-provider.ts";
import { Route53Provider, type Route53ProviderOptions } from "./route53-provider.ts";

const user = { accessKeyId: "AKIAEXAMPLEUSER00001", secretAccessKey: "user-secret-0001" };
const role = "arn:aws:iam::123456789012:role/dns-solver";
const fastPoll = { intervalMs: 1, attempts: 5 };

describe("Route 53 DNS-01 provider against the stand-in, through the AWS SDK", () => {
  let bind: Bind9Handle;
  let route53: Route53StandIn;
  before(async () => {
    bind = await startBind9({ zones: ["example.test", "team.example.test"] });
    route53 = await startRoute53StandIn({
      zones: [
        { name: "example.test" },
        { name: "example.test", privateZone: true },
        { name: "team.example.test" },
      ],
      keys: [user],
      roles: [role],
      pendingPolls: 2,
      mirror: new Rfc2136Provider({ nameserver: bind.address, tsig: bind.tsig }),
    });
  });
  after(async () => {
    await route53?.close();
    await bind?.dispose();
  });

  const provider = (options: Partial<Route53ProviderOptions> = {}) =>
    new Route53Provider({
      identity: { kind: "static", ...user },
      endpoint: route53.endpoint,
      changePoll: fastPoll,
      ...options,
    });
  const setsAt = (name: string) => route53.recordSets().filter((s) => s.name === name);

  it("finds the public zone, upserts a quoted multivalue TXT with TTL 10 and returns once INSYNC", async () => {
    const record = { fqdn: "_acme-challenge.www.example.test.", value: "v1" };
    const before = route53.calls().length;
    await provider().present(record);
    await provider().present(record);
    const sets = setsAt(record.fqdn);
    assert.deepEqual(
      sets.map(({ zoneId, ttl, values, setIdentifier, multiValueAnswer }) => ({
        zoneId,
        ttl,
        values,
        setIdentifier,
        multiValueAnswer,
      })),
      [
        {
          zoneId: route53.zoneId("example.test"),
          ttl: 10,
          values: ['"v1"'],
          setIdentifier: '"v1"',
          multiValueAnswer: true,
        },
      ],
    );
    // Each present asks GetChange until INSYNC: PENDING twice, then INSYNC.
    const operations = route53
      .calls()
      .slice(before)
      .map((c) => c.operation);
    assert.equal(operations.filter((o) => o === "GetChange").length, 6);
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), ["v1"]);
  });

  it("prefers the longest matching zone and keeps the wildcard's and apex's values apart", async () => {
    const fqdn = "_acme-challenge.team.example.test.";
    await provider().present({ fqdn, value: "apex" });
    await provider().present({ fqdn, value: "wildcard" });
    assert.deepEqual(
      setsAt(fqdn).map((s) => [s.zoneId, s.values[0]]),
      [
        [route53.zoneId("team.example.test"), '"apex"'],
        [route53.zoneId("team.example.test"), '"wildcard"'],
      ],
    );
    await provider().cleanUp({ fqdn, value: "apex" });
    await provider().cleanUp({ fqdn, value: "apex" });
    assert.deepEqual(
      setsAt(fqdn).map((s) => s.values[0]),
      ['"wildcard"'],
    );
    assert.deepEqual(await bind.dig(fqdn, "TXT"), ["wildcard"]);
  });

  it("uses hostedZoneID as given, without listing zones", async () => {
    const before = route53.calls().length;
    const zone = provider({ hostedZoneID: `/hostedzone/${route53.zoneId("example.test")}` });
    const record = { fqdn: "_acme-challenge.given.example.test.", value: "z" };
    await zone.present(record);
    await zone.cleanUp(record);
    const operations = route53
      .calls()
      .slice(before)
      .map((c) => c.operation);
    assert.ok(!operations.includes("ListHostedZonesByName"), operations.join());
    assert.deepEqual(setsAt(record.fqdn), []);
    assert.deepEqual(await bind.dig(record.fqdn, "TXT"), []);
  });

  it("assumes the role once through STS and changes records as that role", async () => {
    const before = route53.calls().length;
    const assumed = provider({ role });
    const record = { fqdn: "_acme-challenge.role.example.test.", value: "r" };
    await assumed.present(record);
    await assumed.cleanUp(record);
    const calls = route53.calls().slice(before);
    assert.deepEqual(
      calls.filter((c) => c.operation === "AssumeRole"),
      [{ operation: "AssumeRole", principal: user.accessKeyId }],
    );
    assert.ok(calls.filter((c) => c.operation !== "AssumeRole").every((c) => c.principal === role));
  });

  it("takes ambient credentials from the SDK's default chain (environment variables here)", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = user.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = user.secretAccessKey;
    try {
      const record = { fqdn: "_acme-challenge.ambient.example.test.", value: "a" };
      const before = route53.calls().length;
      await provider({ identity: { kind: "ambient" } }).present(record);
      assert.ok(
        route53
          .calls()
          .slice(before)
          .every((c) => c.principal === user.accessKeyId),
      );
      assert.deepEqual(await bind.dig(record.fqdn, "TXT"), ["a"]);
    } finally {
      for (const [name, value] of [
        ["AWS_ACCESS_KEY_ID", saved.id],
        ["AWS_SECRET_ACCESS_KEY", saved.secret],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("reports a wrong secret and a role it may not assume as forbidden, never echoing the secret", async () => {
    const wrong = provider({
      identity: { kind: "static", accessKeyId: user.accessKeyId, secretAccessKey: "stolen-secret" },
    });
    await assert.rejects(
      wrong.present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error: unknown) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /SignatureDoesNotMatch \(HTTP 403\)/);
        assert.doesNotMatch(error.message, /stolen-secret/);
        return true;
      },
    );
    const other = provider({ role: "arn:aws:iam::123456789012:role/other" });
    await assert.rejects(
      other.present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error: unknown) => {
        assert.ok(error instanceof ForbiddenError);
        assert.match(error.message, /assuming role arn:aws:iam::123456789012:role\/other: AccessDenied/);
        return true;
      },
    );
  });

  it("reports an unknown hostedZoneID as not found and a name outside the zone as Route 53's rejection", async () => {
    await assert.rejects(
      provider({ hostedZoneID: "ZNOSUCHZONE" }).present({
        fqdn: "_acme-challenge.example.test.",
        value: "x",
      }),
      (error: unknown) =>
        error instanceof NotFoundError &&
        /NoSuchHostedZone .*check dns01\.route53\.hostedZoneID/.test(error.message),
    );
    const team = provider({ hostedZoneID: route53.zoneId("team.example.test") });
    await assert.rejects(
      team.present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.field, "dns01.route53");
        assert.match(
          error.message,
          /InvalidChangeBatch \(HTTP 400\): \[RRSet with DNS name .* is not permitted in zone/,
        );
        return true;
      },
    );
  });

  it("reports a name outside every public zone as not found, naming hostedZoneID", async () => {
    await assert.rejects(
      provider().present({ fqdn: "_acme-challenge.elsewhere.test.", value: "x" }),
      (error: unknown) =>
        error instanceof NotFoundError && /dns01\.route53\.hostedZoneID/.test(error.message),
    );
  });
});

describe("Route 53 changes that stay PENDING", () => {
  it("time out after the configured number of GetChange checks", async () => {
    const route53 = await startRoute53StandIn({
      zones: [{ name: "example.test" }],
      keys: [user],
      pendingPolls: 100,
    });
    try {
      const provider = new Route53Provider({
        identity: { kind: "static", ...user },
        endpoint: route53.endpoint,
        changePoll: { intervalMs: 1, attempts: 3 },
      });
      await assert.rejects(
        provider.present({ fqdn: "_acme-challenge.example.test.", value: "x" }),
        (error: unknown) => error instanceof TimeoutError && /not INSYNC after 3 checks/.test(error.message),
      );
      assert.equal(route53.calls().filter((c) => c.operation === "GetChange").length, 3);
    } finally {
      await route53.close();
    }
  });
});
