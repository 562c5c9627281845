import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PublisherHarness } from "../testing/publisher-harness.ts";

const spec = { secretName: "web-tls", issuerRef: { name: "selfsigned" }, dnsNames: ["a.example.com"] };

describe("CertificateDeleted", () => {
  test("removes the certificate's secret and its next key", async () => {
    const harness = new PublisherHarness();
    await harness.applyCertificate("web", spec);
    await harness.pump();
    await harness.signRequest("web-1");
    await harness.pump();
    await harness.triggerIssuance("web");
    await harness.pump();
    assert.equal((await harness.secret("web-tls")).status, "present");
    assert.equal((await harness.secret("web-next-key")).status, "present");

    await harness.deleteCertificate("web");
    await harness.pump();
    assert.equal((await harness.secret("web-tls")).status, "absent");
    assert.equal((await harness.secret("web-next-key")).status, "absent");

    const before = harness.allEvents().length;
    await harness.redeliverAll();
    assert.equal(harness.allEvents().length, before);
  });

  test("never removes a user-imported secret of the same name", async () => {
    const harness = new PublisherHarness();
    await harness.importSecret("web-tls", { type: "Opaque", data: { note: "mine" }, sealedData: {} });
    await harness.applyCertificate("web", spec);
    await harness.pump();
    await harness.deleteCertificate("web");
    await harness.pump();

    const secret = await harness.secret("web-tls");
    assert.deepEqual(secret.status === "present" && secret.content.data, { note: "mine" });
  });
});
