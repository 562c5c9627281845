import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ForbiddenError, ValidationError } from "@certplane/domain";
import { secretDecider, streams } from "@certplane/domain/model";
import { open } from "@certplane/pki";
import { type Harness, startHarness, testCommandContext } from "../testing/harness.ts";
import { makeTlsFixture, type TlsFixture } from "../testing/tls-pairs.ts";

const keyBody = (pem: string) => pem.split("\n").slice(1, -2).join("");
const storedText = async (h: Harness) =>
  JSON.stringify((await h.allEvents()).map(({ type, data, metadata }) => ({ type, data, metadata })));

describe("TLS secrets: create, apply, inspect, delete", () => {
  let h: Harness;
  let tls: TlsFixture;
  before(async () => {
    h = await startHarness();
    tls = await makeTlsFixture(h.clock.now());
  });
  after(async () => {
    await h.stop();
  });

  it("imports a pair with the key sealed for this secret and never in plaintext", async () => {
    const response = await h.intake.api.createTlsSecret({
      name: "imported",
      namespace: "demo-apps",
      certificatePem: tls.leafPem,
      privateKeyPem: tls.leafKeyPem,
      caPem: tls.caPem,
    });
    assert.equal(response.outcome, "created");
    const everything = await storedText(h);
    assert.ok(!everything.includes("PRIVATE KEY"));
    assert.ok(!everything.includes(keyBody(tls.leafKeyPem)));
    const { state } = await h.runner.load(streams.secret("demo-apps", "imported"), secretDecider);
    assert.equal(state.status, "present");
    if (state.status !== "present") return;
    assert.deepEqual(state.owner, { kind: "User", actor: "local:in-process" });
    assert.equal(state.content.type, "kubernetes.io/tls");
    const sealed = state.content.sealedData["tls.key"]!;
    assert.equal(open(h.kek, sealed, "secret/demo-apps/imported/tls.key").toString("utf8"), tls.leafKeyPem);
    assert.throws(() => open(h.kek, sealed, "secret/demo-apps/elsewhere/tls.key"), "bound to its own secret");
  });

  it("re-creating the identical secret changes nothing; a new CA configures it", async () => {
    const request = {
      name: "imported",
      namespace: "demo-apps",
      certificatePem: tls.leafPem,
      privateKeyPem: tls.leafKeyPem,
    };
    const before = (await h.store.read(streams.secret("demo-apps", "imported"))).events.length;
    assert.equal((await h.intake.api.createTlsSecret({ ...request, caPem: tls.caPem })).outcome, "unchanged");
    assert.equal((await h.store.read(streams.secret("demo-apps", "imported"))).events.length, before);
    assert.equal((await h.intake.api.createTlsSecret(request)).outcome, "configured");
    assert.equal(
      (await h.intake.api.createTlsSecret({ ...request, caPem: tls.caPem })).outcome,
      "configured",
    );
  });

  it("refuses a key that does not match the certificate, and a bad name, writing nothing", async () => {
    const error = await h.intake.api
      .createTlsSecret({
        name: "Bad_Name",
        namespace: "demo-apps",
        certificatePem: tls.leafPem,
        privateKeyPem: tls.otherKeyPem,
      })
      .catch((e: unknown) => e);
    assert.ok(error instanceof ValidationError);
    assert.deepEqual(
      error.issues.map((i) => [i.field, i.rule]),
      [
        ["metadata.name", "nameNotDns1123"],
        ["privateKeyPem", "keyMismatch"],
      ],
    );
    assert.ok(!error.message.includes("PRIVATE KEY"));
    const garbage = await h.intake.api
      .createTlsSecret({
        name: "g",
        namespace: "demo-apps",
        certificatePem: "nonsense",
        privateKeyPem: "nonsense",
      })
      .catch((e: unknown) => e);
    assert.ok(garbage instanceof ValidationError);
    assert.deepEqual(
      garbage.issues.map((i) => i.field),
      ["certificatePem", "privateKeyPem"],
    );
    assert.equal((await h.store.read(streams.secret("demo-apps", "Bad_Name"))).version, undefined);
  });

  it("inspects the chain and CA without returning any key material", async () => {
    const inspected = await h.intake.api.inspectSecret({ name: "imported", namespace: "demo-apps" });
    assert.equal(inspected.hasPrivateKey, true);
    assert.equal(inspected.chain.length, 1);
    assert.deepEqual(inspected.chain[0]?.dnsNames, ["app.example.com"]);
    assert.equal(inspected.chain[0]?.keyAlgorithm, "ECDSA");
    assert.deepEqual(inspected.chain[0]?.extKeyUsages, ["server auth"]);
    assert.equal(inspected.ca?.isCA, true);
    assert.deepEqual(inspected.chainVerifiesAgainstCa, { ok: true });
    assert.ok(!JSON.stringify(inspected).includes("PRIVATE KEY"));
  });

  it("reports a chain that does not lead to the secret's CA", async () => {
    const other = await makeTlsFixture(h.clock.now());
    await h.intake.api.createTlsSecret({
      name: "mismatched-ca",
      namespace: "demo-apps",
      certificatePem: tls.leafPem,
      privateKeyPem: tls.leafKeyPem,
      caPem: other.caPem,
    });
    const inspected = await h.intake.api.inspectSecret({ name: "mismatched-ca", namespace: "demo-apps" });
    assert.equal(inspected.chainVerifiesAgainstCa?.ok, false);
    assert.ok(inspected.chainVerifiesAgainstCa?.reason);
  });

  it("applies a kubernetes.io/tls Secret manifest like an import, and get shows only public data", async () => {
    const manifest = `apiVersion: v1
kind: Secret
metadata: { name: from-manifest, namespace: demo-apps, labels: { app: web } }
type: kubernetes.io/tls
data:
  tls.crt: ${Buffer.from(tls.leafPem).toString("base64")}
  tls.key: ${Buffer.from(tls.leafKeyPem).toString("base64")}
`;
    assert.equal((await h.intake.api.apply({ manifests: manifest })).results[0]?.outcome, "created");
    assert.equal((await h.intake.api.apply({ manifests: manifest })).results[0]?.outcome, "unchanged");
    const [secret] = (
      await h.intake.api.get({ kind: "Secret", name: "from-manifest", namespace: "demo-apps" })
    ).items;
    assert.equal(secret?.type, "kubernetes.io/tls");
    assert.deepEqual(Object.keys(secret?.data ?? {}), ["tls.crt"]);
    assert.equal(Buffer.from(secret!.data!["tls.crt"]!, "base64").toString("utf8"), tls.leafPem);
    assert.deepEqual(secret?.metadata.labels, { app: "web" });
    assert.ok(!(await storedText(h)).includes(keyBody(tls.leafKeyPem)));
  });

  it("imports an Opaque Secret (a TSIG key, an API token) with every value sealed, and re-applies unchanged", async () => {
    const manifests = [
      "apiVersion: v1",
      "kind: Secret",
      "metadata: { name: tsig, namespace: demo-apps }",
      "stringData: { tsig-secret-key: c2VjcmV0LXRzaWcta2V5 }",
      "data: { api-token: dG9wLXNlY3JldC10b2tlbg== }",
    ].join("\n");
    const first = await h.intake.api.apply({ manifests });
    assert.equal(first.results[0]?.outcome, "created");
    const again = await h.intake.api.apply({ manifests });
    assert.equal(again.results[0]?.outcome, "unchanged");
    const stored = await storedText(h);
    assert.ok(!stored.includes("c2VjcmV0LXRzaWcta2V5"), "the TSIG secret is sealed");
    assert.ok(!stored.includes("top-secret-token"), "the token is sealed");
    const empty = await h.intake.api
      .apply({ manifests: "apiVersion: v1\nkind: Secret\nmetadata: { name: e, namespace: demo-apps }\n" })
      .catch((e: unknown) => e);
    assert.ok(empty instanceof ValidationError);
    assert.equal(empty.issues[0]?.field, "data");
  });

  it("refuses a TLS Secret manifest with a mismatched key", async () => {
    const mismatched = await h.intake.api
      .apply({
        manifests: `apiVersion: v1
kind: Secret
metadata: { name: m, namespace: demo-apps }
type: kubernetes.io/tls
stringData:
  tls.crt: ${JSON.stringify(tls.leafPem)}
  tls.key: ${JSON.stringify(tls.otherKeyPem)}
`,
      })
      .catch((e: unknown) => e);
    assert.ok(mismatched instanceof ValidationError);
    assert.equal(mismatched.issues[0]?.field, "data[tls.key]");
    assert.equal(mismatched.issues[0]!.object, "Secret demo-apps/m");
  });

  it("deletes an imported secret but not one a Certificate owns", async () => {
    assert.deepEqual(
      await h.intake.api.delete({ kind: "Secret", name: "from-manifest", namespace: "demo-apps" }),
      {
        deleted: true,
      },
    );
    await assert.rejects(h.intake.api.inspectSecret({ name: "from-manifest", namespace: "demo-apps" }), {
      message: 'secrets "from-manifest" not found',
    });
    await h.runner.execute(
      streams.secret("demo-apps", "owned"),
      secretDecider,
      {
        type: "WriteSecret",
        name: "owned",
        namespace: "demo-apps",
        content: { type: "kubernetes.io/tls", data: { "tls.crt": tls.leafPem }, sealedData: {} },
        owner: { kind: "Certificate", name: "web", uid: "u1" },
        now: h.clock.now().toISOString(),
      },
      testCommandContext,
    );
    const overwrite = await h.intake.api
      .createTlsSecret({
        name: "owned",
        namespace: "demo-apps",
        certificatePem: tls.leafPem,
        privateKeyPem: tls.leafKeyPem,
      })
      .catch((e: unknown) => e);
    assert.ok(overwrite instanceof ForbiddenError, "an import never takes over a certificate's secret");
    // Deleting a certificate's secret is allowed: it is how users force a reissue.
    assert.deepEqual(await h.intake.api.delete({ kind: "Secret", name: "owned", namespace: "demo-apps" }), {
      deleted: true,
    });
    await h.runner.execute(
      streams.secret("demo-apps", "web-next-key"),
      secretDecider,
      {
        type: "WriteSecret",
        name: "web-next-key",
        namespace: "demo-apps",
        content: { type: "Opaque", data: {}, sealedData: {} },
        owner: { kind: "NextPrivateKey", certificateName: "web", certificateUid: "u1" },
        now: h.clock.now().toISOString(),
      },
      testCommandContext,
    );
    await assert.rejects(
      h.intake.api.delete({ kind: "Secret", name: "web-next-key", namespace: "demo-apps" }),
      ForbiddenError,
    );
  });
});
