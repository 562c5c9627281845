import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { recreateIssues } from "./recreate-rules.ts";

const spec = { request: "csr", issuerRef: { name: "ca" }, usages: ["digital signature"] };
const applied = (
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> },
  s = spec,
) => ({
  meta,
  spec: s,
});
const fields = (before: ReturnType<typeof applied>, after: ReturnType<typeof applied>) =>
  recreateIssues(before, after).map(({ field, message }) => `${field}: ${message}`);

describe("cert-manager annotations are immutable (validateCertificateRequestAnnotations)", () => {
  const annotated = applied({ annotations: { "cert-manager.io/issuer-name": "ca", team: "a" } });
  it("the same annotations pass", () => {
    assert.deepEqual(fields(annotated, annotated), []);
  });
  it("a changed, removed or added cert-manager annotation is refused by its key", () => {
    assert.deepEqual(
      fields(annotated, applied({ annotations: { "cert-manager.io/issuer-name": "other", team: "a" } })),
      [
        "metadata.annotations.cert-manager.io/issuer-name: cannot change cert-manager annotation after creation",
      ],
    );
    assert.deepEqual(fields(annotated, applied({ annotations: { team: "a" } })), [
      "metadata.annotations.cert-manager.io/issuer-name: cannot change cert-manager annotation after creation",
    ]);
    assert.deepEqual(
      fields(
        annotated,
        applied({ annotations: { ...annotated.meta.annotations, "acme.cert-manager.io/x": "1" } }),
      ),
      ["metadata.annotations.acme.cert-manager.io/x: cannot change cert-manager annotation after creation"],
    );
  });
});

describe("other metadata is recorded once (certplane's refusal instead of a silent drop)", () => {
  it("changed labels or other annotations are refused, saying what to do", () => {
    assert.deepEqual(fields(applied({ labels: { a: "1" } }), applied({ labels: { a: "2" } })), [
      "metadata.labels: certplane cannot change a CertificateRequest's labels after creation: delete it and create it again",
    ]);
    assert.deepEqual(fields(applied({}), applied({ annotations: { note: "x" } })), [
      "metadata.annotations: certplane cannot change a CertificateRequest's annotations after creation: delete it and create it again",
    ]);
  });
  it("absent and empty maps are the same", () => {
    assert.deepEqual(fields(applied({}), applied({ labels: {}, annotations: {} })), []);
  });
});

describe("the spec is immutable (ValidateUpdateCertificateRequest)", () => {
  it("a changed spec is refused", () => {
    assert.deepEqual(fields(applied({}), applied({}, { ...spec, usages: ["server auth"] })), [
      "spec: cannot change spec after creation",
    ]);
  });
});
