import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NotFoundError, ValidationError } from "@certplane/domain";
import { type Harness, seedManifests, startHarness } from "../testing/harness.ts";

const extraCertificate = [
  "apiVersion: cert-manager.io/v1",
  "kind: Certificate",
  "metadata: {name: later-tls, namespace: demo-apps}",
  "spec:",
  "  secretName: later-tls",
  "  dnsNames: [later.example.com]",
  "  issuerRef: {name: demo-ca-issuer, kind: ClusterIssuer}",
  "",
].join("\n");

const isValidation = (field: string, rule: string) => (e: unknown) =>
  e instanceof ValidationError && e.field === field && e.issues[0]?.rule === rule;

describe("get, describe and replay at a past instant", () => {
  let h: Harness;
  let first: string;
  let betweenApplies: string;
  before(async () => {
    h = await startHarness();
    first = h.clock.now().toISOString();
    await h.intake.api.apply({ manifests: seedManifests });
    h.clock.advance(60_000);
    betweenApplies = h.clock.now().toISOString();
    h.clock.advance(60_000);
    await h.intake.api.apply({ manifests: extraCertificate });
    h.clock.advance(60_000);
    await h.intake.api.delete({ kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" });
  });
  after(async () => {
    await h.stop();
  });

  it("lists only what existed then, including what was deleted since", async () => {
    const names = async (at?: string) =>
      (
        await h.intake.api.get({ kind: "Certificate", namespace: "demo-apps", ...(at ? { at } : {}) })
      ).items.map((i) => i.metadata.name);
    assert.deepEqual(await names(betweenApplies), ["myapp-tls", "short-lived-cert"]);
    assert.deepEqual(await names(), ["later-tls", "short-lived-cert"]);
    const [then] = (
      await h.intake.api.get({
        kind: "Certificate",
        name: "myapp-tls",
        namespace: "demo-apps",
        at: betweenApplies,
      })
    ).items;
    assert.equal(then?.metadata.name, "myapp-tls");
    await assert.rejects(
      h.intake.api.get({
        kind: "Certificate",
        name: "later-tls",
        namespace: "demo-apps",
        at: betweenApplies,
      }),
      NotFoundError,
    );
  });

  it("describes an object with only the events recorded by then", async () => {
    const described = await h.intake.api.describe({
      kind: "Certificate",
      name: "myapp-tls",
      namespace: "demo-apps",
      at: betweenApplies,
    });
    assert.ok(described.events.every((e) => e.time <= betweenApplies));
    assert.ok(!described.events.some((e) => e.event === "CertificateDeleted"));
  });

  it("replays every kind, namespaces included", async () => {
    const { items, at } = await h.intake.api.replay({ at: betweenApplies });
    assert.equal(at, betweenApplies);
    const kinds = new Set(items.map((i) => i.kind));
    for (const kind of ["Namespace", "Certificate", "ClusterIssuer"]) assert.ok(kinds.has(kind), kind);
    assert.ok(!items.some((i) => i.metadata.name === "later-tls"));
  });

  it("refuses an instant before the first event, in the future or malformed, naming `at`", async () => {
    const before = new Date(new Date(first).getTime() - 1000).toISOString();
    await assert.rejects(
      h.intake.api.get({ kind: "Certificate", at: before }),
      (e: unknown) =>
        isValidation("at", "beforeFirstEvent")(e) &&
        (e as Error).message.includes(`no events before ${first}`),
    );
    const future = new Date(h.clock.now().getTime() + 60_000).toISOString();
    await assert.rejects(h.intake.api.replay({ at: future }), isValidation("at", "future"));
    await assert.rejects(
      h.intake.api.describe({
        kind: "Certificate",
        name: "myapp-tls",
        namespace: "demo-apps",
        at: "yesterday",
      }),
      isValidation("at", "format"),
    );
  });
});
