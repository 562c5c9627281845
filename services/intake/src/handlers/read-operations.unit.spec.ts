import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { NotFoundError } from "@certplane/domain";
import {
  certificateIssuanceDecider,
  certificateRequestDecider,
  requestAnnotations,
  streams,
} from "@certplane/domain/model";
import { pollUntil } from "@certplane/testing";
import { type Harness, seedManifests, startHarness, testCommandContext } from "../testing/harness.ts";

type Conditions = { conditions: { type: string; status: string; reason: string; message: string }[] };

describe("get, describe, renew, history and delete", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.intake.api.apply({ manifests: seedManifests });
  });
  after(async () => {
    await h.stop();
  });

  it("gets a certificate by name with its status computed now", async () => {
    const { items } = await h.intake.api.get({
      kind: "Certificate",
      name: "myapp-tls",
      namespace: "demo-apps",
    });
    const [cert] = items;
    assert.equal(cert?.apiVersion, "cert-manager.io/v1");
    assert.equal(cert?.metadata.namespace, "demo-apps");
    assert.equal(cert?.metadata.generation, 1);
    const ready = (cert!.status as Conditions).conditions.find((c) => c.type === "Ready");
    assert.deepEqual([ready?.status, ready?.reason], ["False", "DoesNotExist"]);
    assert.equal(
      (cert!.status as { nextPrivateKeySecretName?: string }).nextPrivateKeySecretName,
      "myapp-tls-next-key",
    );
  });

  it("lists a namespace's certificates, or all of them", async () => {
    const names = async (request: Parameters<typeof h.intake.api.get>[0]) =>
      (await h.intake.api.get(request)).items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);
    await pollUntil(
      async () =>
        (await names({ kind: "Certificate", namespace: "demo-apps" })).length === 2 ? true : undefined,
      { what: "both demo-apps Certificates to be listed" },
    );
    assert.deepEqual(await names({ kind: "Certificate", namespace: "demo-apps" }), [
      "demo-apps/myapp-tls",
      "demo-apps/short-lived-cert",
    ]);
    assert.deepEqual(await names({ kind: "Certificate", allNamespaces: true }), [
      "cert-manager/demo-ca",
      "demo-apps/myapp-tls",
      "demo-apps/short-lived-cert",
    ]);
    assert.deepEqual(await names({ kind: "Certificate" }), [], "nothing lives in default");
  });

  it("shows cluster issuers with a Ready condition waiting for their check", async () => {
    const { items } = await pollUntil(
      async () => {
        const response = await h.intake.api.get({ kind: "ClusterIssuer" });
        return response.items.length === 2 ? response : undefined;
      },
      { what: "both ClusterIssuers to be listed" },
    );
    assert.deepEqual(
      items.map((i) => i.metadata.name),
      ["demo-ca-issuer", "selfsigned-issuer"],
    );
    const ready = (items[0]!.status as Conditions).conditions[0];
    assert.deepEqual([ready?.type, ready?.status, ready?.reason], ["Ready", "Unknown", "Pending"]);
    assert.equal(items[0]?.metadata.namespace, undefined);
  });

  it("answers a missing object with kubectl's not-found text", async () => {
    await assert.rejects(
      h.intake.api.get({ kind: "Certificate", name: "nope", namespace: "demo-apps" }),
      (e: unknown) =>
        e instanceof NotFoundError && e.message === 'certificates.cert-manager.io "nope" not found',
    );
    await assert.rejects(
      h.intake.api.describe({ kind: "ClusterIssuer", name: "nope" }),
      (e: unknown) =>
        e instanceof NotFoundError && e.message === 'clusterissuers.cert-manager.io "nope" not found',
    );
  });

  it("describes a certificate with its requests and their events, oldest first", async () => {
    const now = h.clock.now().toISOString();
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
          creationTimestamp: now,
          annotations: {
            [requestAnnotations.certificateName]: "myapp-tls",
            [requestAnnotations.certificateRevision]: "1",
            [requestAnnotations.privateKeySecretName]: "myapp-tls-next-key",
          },
        },
        spec: {
          request: "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
          issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" },
        },
        now: h.clock.now().toISOString(),
      },
      testCommandContext,
    );
    const described = await pollUntil(
      async () => {
        const response = await h.intake.api.describe({
          kind: "Certificate",
          name: "myapp-tls",
          namespace: "demo-apps",
        });
        return response.events.some((e) => e.event === "CertificateRequestApproved") ? response : undefined;
      },
      { what: "the approval to be described" },
    );
    assert.equal(described.object.metadata.name, "myapp-tls");
    assert.deepEqual(
      described.related.map((r) => r.metadata.name),
      ["myapp-tls-1"],
    );
    assert.deepEqual(
      described.events.map((e) => [e.object, e.event, e.reason]),
      [
        ["Certificate demo-apps/myapp-tls", "CertificateApplied", "Applied"],
        ["Certificate demo-apps/myapp-tls", "IssuanceTriggered", "DoesNotExist"],
        ["CertificateRequest demo-apps/myapp-tls-1", "CertificateRequestCreated", "Requested"],
        ["CertificateRequest demo-apps/myapp-tls-1", "CertificateRequestApproved", "cert-manager.io"],
      ],
    );
    assert.equal(described.events[1]?.message, "Issuing certificate as Secret does not exist");
    assert.equal(described.events[3]?.message, "Certificate request has been approved by cert-manager.io");
    const request = described.related[0]!;
    assert.equal(
      Buffer.from((request.spec as { request: string }).request, "base64")
        .toString("utf8")
        .split("\n")[0],
      "-----BEGIN CERTIFICATE REQUEST-----",
    );
  });

  it("renews an issued certificate and records the manual trigger in its history", async () => {
    const stream = streams.certificateIssuance("demo-apps", "short-lived-cert");
    const issuedAt = h.clock.now();
    await h.runner.execute(
      stream,
      certificateIssuanceDecider,
      {
        type: "RecordIssued",
        requestName: "short-lived-cert-1",
        serialNumber: "0a",
        notBefore: issuedAt.toISOString(),
        notAfter: new Date(issuedAt.getTime() + 3_600_000).toISOString(),
        renewal: { renewalTime: new Date(issuedAt.getTime() + 1_800_000).toISOString() },
        now: issuedAt.toISOString(),
      },
      testCommandContext,
    );
    const renewed = await h.intake.api.renew({ name: "short-lived-cert", namespace: "demo-apps" });
    assert.deepEqual(renewed.renewed, ["demo-apps/short-lived-cert"]);
    assert.deepEqual(
      (await h.intake.api.renew({ name: "short-lived-cert", namespace: "demo-apps" })).renewed,
      [],
      "already issuing",
    );

    const { revisions } = await h.intake.api.history({ name: "short-lived-cert", namespace: "demo-apps" });
    assert.deepEqual(
      revisions.map((r) => [r.revision, r.requestName, r.trigger, r.outcome]),
      [
        [1, "short-lived-cert-1", "DoesNotExist", "issued"],
        [2, "short-lived-cert-2", "ManuallyTriggered", "pending"],
      ],
    );
    assert.equal(revisions[1]?.triggerMessage, "Certificate re-issuance manually triggered");
    assert.equal(revisions[0]?.serialNumber, "0a");

    const [cert] = (
      await h.intake.api.get({ kind: "Certificate", name: "short-lived-cert", namespace: "demo-apps" })
    ).items;
    const conditions = (cert!.status as Conditions).conditions;
    assert.deepEqual(
      conditions.map((c) => [c.type, c.status, c.reason]),
      [
        ["Ready", "True", "Ready"],
        ["Issuing", "True", "ManuallyTriggered"],
      ],
    );
    h.clock.advance(3_600_000);
    const [expired] = (
      await h.intake.api.get({ kind: "Certificate", name: "short-lived-cert", namespace: "demo-apps" })
    ).items;
    assert.equal(
      (expired!.status as Conditions).conditions[0]?.reason,
      "Expired",
      "readiness follows the clock",
    );
  });

  it("renew needs a name or --all, and --all renews only what is not already issuing", async () => {
    await assert.rejects(h.intake.api.renew({ namespace: "demo-apps" }), { code: "VALIDATION" });
    await assert.rejects(h.intake.api.renew({ name: "nope", namespace: "demo-apps" }), NotFoundError);
    assert.deepEqual((await h.intake.api.renew({ all: true, allNamespaces: true })).renewed, []);
  });

  it("deletes a certificate; afterwards it is not found", async () => {
    assert.deepEqual(
      await h.intake.api.delete({ kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" }),
      {
        deleted: true,
      },
    );
    await assert.rejects(
      h.intake.api.get({ kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" }),
      NotFoundError,
    );
    await assert.rejects(
      h.intake.api.delete({ kind: "Certificate", name: "myapp-tls", namespace: "demo-apps" }),
      (e: unknown) =>
        e instanceof NotFoundError && e.message === 'certificates.cert-manager.io "myapp-tls" not found',
    );
    const events = (await h.store.read(streams.certificate("demo-apps", "myapp-tls"))).events;
    assert.equal(events.at(-1)?.type, "CertificateDeleted");
  });

  it("lists the namespaces objects live in", async () => {
    const { items } = await h.intake.api.get({ kind: "Namespace" });
    assert.deepEqual(
      items.map((i) => i.metadata.name),
      ["cert-manager", "default", "demo-apps"],
    );
  });
});
