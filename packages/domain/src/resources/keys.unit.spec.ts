import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStreamId, type ResourceRef, resourceKey, streamIdFor } from "./keys.ts";

describe("resource keys and stream ids", () => {
  const cases: [ResourceRef, string][] = [
    [{ kind: "Certificate", namespace: "demo-apps", name: "myapp-tls" }, "certificate-demo-apps_myapp-tls"],
    [
      { kind: "Certificate", namespace: "demo-apps", name: "www.example.com" },
      "certificate-demo-apps_www~example~com",
    ],
    [{ kind: "ClusterIssuer", name: "letsencrypt-prod" }, "clusterIssuer-letsencrypt-prod"],
    [{ kind: "Issuer", namespace: "team-a", name: "ca.v2" }, "issuer-team-a_ca~v2"],
    [
      { kind: "CertificateRequest", namespace: "ns", name: "myapp-tls-1" },
      "certificateRequest-ns_myapp-tls-1",
    ],
    [{ kind: "Order", namespace: "ns", name: "myapp-tls-1-123" }, "order-ns_myapp-tls-1-123"],
    [{ kind: "Challenge", namespace: "ns", name: "myapp-tls-1-123-0" }, "challenge-ns_myapp-tls-1-123-0"],
    [{ kind: "Secret", namespace: "ns", name: "myapp-tls-secret" }, "secret-ns_myapp-tls-secret"],
  ];
  for (const [ref, stream] of cases) {
    it(`maps ${resourceKey(ref.kind, ref.namespace, ref.name)} to ${stream} and back`, () => {
      assert.equal(streamIdFor(ref), stream);
      assert.match(stream.slice(stream.indexOf("-") + 1), /^[A-Za-z0-9_~:-]+$/);
      assert.deepEqual(parseStreamId(stream), ref);
    });
  }

  it("keys namespaced resources by kind/namespace/name and cluster-scoped ones by kind/name", () => {
    assert.equal(resourceKey("Certificate", "demo-apps", "myapp-tls"), "Certificate/demo-apps/myapp-tls");
    assert.equal(resourceKey("ClusterIssuer", undefined, "demo-ca-issuer"), "ClusterIssuer/demo-ca-issuer");
  });

  it("refuses a namespaced kind without a namespace and a cluster-scoped kind with one", () => {
    assert.throws(() => streamIdFor({ kind: "Certificate", name: "x" }), RangeError);
    assert.throws(() => streamIdFor({ kind: "ClusterIssuer", namespace: "ns", name: "x" }), RangeError);
  });

  it("refuses names that are not Kubernetes names, since they could not be mapped back", () => {
    assert.throws(() => streamIdFor({ kind: "Secret", namespace: "ns", name: "a_b" }), RangeError);
  });

  for (const stream of [
    "certificate-ns",
    "unknown-ns_name",
    "clusterIssuer-a_b",
    "certificate-ns_a_b",
    "issuer",
  ]) {
    it(`does not parse ${stream}, which streamIdFor cannot produce`, () => {
      assert.equal(parseStreamId(stream), undefined);
    });
  }
});
