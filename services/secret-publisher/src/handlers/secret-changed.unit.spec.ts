import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PublisherHarness } from "../testing/publisher-harness.ts";
import { RecordingTarget } from "../testing/recording-target.ts";

const spec = { secretName: "web-tls", issuerRef: { name: "selfsigned" }, dnsNames: ["a.example.com"] };
const web = { namespace: "apps", name: "web-tls" };

describe("secret events (targets)", () => {
  test("mirror the final secret with its key opened, never the next key, and remove it on delete", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await harness.applyCertificate("web", spec);
    await harness.pump();
    assert.equal(target.secrets.size, 0, "the next key stays inside certplane");

    const pem = await harness.signRequest("web-1");
    await harness.pump();
    const published = target.get(web);
    assert.equal(published?.type, "kubernetes.io/tls");
    assert.deepEqual(published?.data, { "tls.crt": pem, "ca.crt": pem });
    assert.match(String(published?.secretData["tls.key"] ?? ""), /^-----BEGIN RSA PRIVATE KEY-----/);
    assert.deepEqual(published?.owner, { kind: "Certificate", name: "web", uid: "uid-web" });
    assert.deepEqual([...target.secrets.keys()], ["apps/web-tls"]);

    await harness.deleteCertificate("web");
    await harness.pump();
    assert.equal(target.get(web), undefined);
  });

  test("a redelivered old event does not put back older content", async () => {
    const target = new RecordingTarget();
    const harness = new PublisherHarness([target]);
    await harness.importSecret("web-tls", { type: "Opaque", data: { note: "v1" }, sealedData: {} });
    await harness.importSecret("web-tls", { type: "Opaque", data: { note: "v2" }, sealedData: {} });
    await harness.pump();
    assert.deepEqual(target.get(web)?.data, { note: "v2" });

    await harness.redeliverAll();
    assert.deepEqual(target.get(web)?.data, { note: "v2" });
  });
});
