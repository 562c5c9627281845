import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { HistoryRecord } from "@certplane/api";
import { NotFoundError, ValidationError } from "@certplane/domain";
import { certificateRequestDecider, requestAnnotations, streams } from "@certplane/domain/model";
import { pollUntil } from "@certplane/testing";
import { type Harness, seedManifests, startHarness } from "../testing/harness.ts";

const alice = {
  actor: "local:alice",
  identities: ["local:alice"],
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
};
const myapp = { kind: "Certificate" as const, name: "myapp-tls", namespace: "demo-apps" };
const rows = (events: readonly HistoryRecord[]) => events.map((e) => [e.object, e.event]);

describe("history of any object", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.intake.api.apply({ manifests: seedManifests }, alice);
    // The secret-publisher's part: the request for revision 1, caused by the trigger it saw.
    const trigger = (await h.store.read(streams.certificateIssuance("demo-apps", "myapp-tls"))).events[0]!;
    h.clock.advance(1000);
    await h.runner.execute(
      streams.certificateRequest("demo-apps", "myapp-tls-1"),
      certificateRequestDecider,
      {
        type: "CreateCertificateRequest",
        meta: {
          name: "myapp-tls-1",
          namespace: "demo-apps",
          uid: "cr-uid",
          generation: 1,
          creationTimestamp: h.clock.now().toISOString(),
          annotations: {
            [requestAnnotations.certificateName]: "myapp-tls",
            [requestAnnotations.certificateRevision]: "1",
          },
        },
        spec: {
          request: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
          issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" },
        },
        now: h.clock.now().toISOString(),
      },
      {
        correlationId: trigger.metadata.correlationId,
        causationId: trigger.id,
        actor: "service:secret-publisher",
      },
    );
    await pollUntil(
      async () =>
        (await h.store.read(streams.certificateRequest("demo-apps", "myapp-tls-1"))).events.length > 1 ||
        undefined,
      { what: "intake to approve myapp-tls-1" },
    );
    h.clock.advance(1000);
    await h.intake.api.delete(myapp, alice);
  });
  after(async () => {
    await h.stop();
  });

  it("keeps a deleted certificate's history: every event of both its streams, with actor and producer", async () => {
    const { events, revisions } = await h.intake.api.history(myapp);
    assert.deepEqual(rows(events), [
      ["Certificate demo-apps/myapp-tls", "CertificateApplied"],
      ["Certificate demo-apps/myapp-tls", "IssuanceTriggered"],
      ["Certificate demo-apps/myapp-tls", "CertificateDeleted"],
    ]);
    const [applied, , deleted] = events;
    assert.deepEqual(
      [applied?.actor, applied?.producer, applied?.reason],
      ["local:alice", "intake", "Applied"],
    );
    assert.equal(applied?.traceparent?.split("-")[1], "0af7651916cd43dd8448eb211c80319c");
    assert.equal(deleted?.actor, "local:alice");
    assert.equal(applied?.stream, "certificate-demo-apps_myapp-tls");
    assert.ok(events.every((e) => e.id !== "" && e.position !== "" && e.version !== ""));
    assert.deepEqual(
      revisions.map((r) => r.requestName),
      ["myapp-tls-1"],
      "the revision view is kept",
    );
  });

  it("with related, interleaves the certificate's requests and names each event's cause", async () => {
    // The index that links the request to its Certificate follows the store by a moment.
    const { events } = await pollUntil(
      async () => {
        const response = await h.intake.api.history({ ...myapp, related: true });
        return response.events.length === 5 ? response : undefined;
      },
      { what: "the request in the related history" },
    );
    assert.deepEqual(rows(events), [
      ["Certificate demo-apps/myapp-tls", "CertificateApplied"],
      ["Certificate demo-apps/myapp-tls", "IssuanceTriggered"],
      ["CertificateRequest demo-apps/myapp-tls-1", "CertificateRequestCreated"],
      ["CertificateRequest demo-apps/myapp-tls-1", "CertificateRequestApproved"],
      ["Certificate demo-apps/myapp-tls", "CertificateDeleted"],
    ]);
    const created = events[2]!;
    assert.equal(created.actor, "service:secret-publisher");
    assert.equal(created.causationId, events[1]!.id);
    assert.deepEqual(
      [created.causeEvent, created.causeObject],
      ["IssuanceTriggered", "Certificate demo-apps/myapp-tls"],
    );
  });

  it("filters to one correlation: everything one action caused", async () => {
    const applied = (await h.intake.api.history(myapp)).events[0]!;
    const { events } = await h.intake.api.history({
      ...myapp,
      related: true,
      correlationId: applied.correlationId,
    });
    assert.deepEqual(rows(events), [["Certificate demo-apps/myapp-tls", "CertificateApplied"]]);
  });

  it("answers for cluster-scoped kinds and for a request by its own name", async () => {
    const issuer = await h.intake.api.history({
      kind: "ClusterIssuer",
      name: "demo-ca-issuer",
      namespace: "",
    });
    assert.equal(issuer.events[0]?.event, "IssuerApplied");
    assert.equal(issuer.events[0]?.object, "ClusterIssuer demo-ca-issuer");
    assert.deepEqual(issuer.revisions, []);
    const request = await h.intake.api.history({
      kind: "CertificateRequest",
      name: "myapp-tls-1",
      namespace: "demo-apps",
    });
    assert.equal(request.events[0]?.event, "CertificateRequestCreated");
  });

  it("long-polls after a position: answers when the object's next event is stored", async () => {
    const seen = (await h.intake.api.history(myapp)).events;
    const last = seen.at(-1)!.position;
    assert.deepEqual((await h.intake.api.history({ ...myapp, afterPosition: last })).events, []);
    assert.deepEqual(
      rows((await h.intake.api.history({ ...myapp, afterPosition: seen[0]!.position })).events),
      rows(seen.slice(1)),
    );
    // The wait begins with the call, so the apply below ends it.
    const waiting = h.intake.api.history({ ...myapp, afterPosition: last, waitMs: 5_000 });
    await h.intake.api.apply({ manifests: seedManifests }, alice);
    const { events } = await waiting;
    assert.deepEqual(rows(events).slice(0, 1), [["Certificate demo-apps/myapp-tls", "CertificateApplied"]]);
  });

  it("refuses what has no history with a typed error naming the argument", async () => {
    await assert.rejects(
      h.intake.api.history({ ...myapp, name: "never-applied" }),
      (e: unknown) =>
        e instanceof NotFoundError && e.message === 'certificates.cert-manager.io "never-applied" not found',
    );
    await assert.rejects(
      h.intake.api.history({ kind: "Namespace", name: "demo-apps", namespace: "" }),
      (e: unknown) => e instanceof ValidationError && e.field === "kind",
    );
    await assert.rejects(
      h.intake.api.history({ kind: "Issuer", name: "x", namespace: "demo-apps", related: true }),
      (e: unknown) => e instanceof ValidationError && e.field === "related",
    );
  });
});
