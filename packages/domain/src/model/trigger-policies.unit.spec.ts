import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SecretFacts, TriggerInput } from "./trigger-input.ts";
import { firstReissueReason } from "./trigger-policies.ts";

const goodSecret: SecretFacts = {
  hasCertificate: true,
  hasPrivateKey: true,
  certificate: { keyId: "aa", algorithm: "RSA", size: 2048, notAfter: "2026-04-01T00:00:00.000Z" },
  certificateDecodes: true,
  privateKeyId: "aa",
  annotations: {
    "cert-manager.io/certificate-name": "web",
    "cert-manager.io/issuer-name": "ca",
    "cert-manager.io/issuer-kind": "ClusterIssuer",
    "cert-manager.io/issuer-group": "cert-manager.io",
  },
};

function input(change: Partial<TriggerInput> = {}): TriggerInput {
  return {
    certificate: { name: "web", issuerRef: { name: "ca", kind: "ClusterIssuer" }, changedFields: [] },
    secret: goodSecret,
    renewalTime: new Date("2026-03-01T00:00:00Z"),
    now: new Date("2026-02-01T00:00:00Z"),
    ...change,
  };
}

const reason = (i: TriggerInput) => firstReissueReason(i)?.reason;

describe("reissue trigger chain", () => {
  it("finds nothing for a good secret before the renewal time", () => {
    assert.equal(firstReissueReason(input()), undefined);
  });

  it("reissues when the secret does not exist", () => {
    assert.deepEqual(firstReissueReason(input({ secret: undefined })), {
      reason: "DoesNotExist",
      message: "Issuing certificate as Secret does not exist",
    });
  });

  it("reissues when tls.crt or tls.key is missing", () => {
    assert.equal(reason(input({ secret: { ...goodSecret, hasPrivateKey: false } })), "MissingData");
    assert.equal(reason(input({ secret: { ...goodSecret, hasCertificate: false } })), "MissingData");
  });

  it("reissues when the key does not match the certificate or the certificate does not decode", () => {
    assert.equal(reason(input({ secret: { ...goodSecret, privateKeyId: "bb" } })), "InvalidKeyPair");
    const { certificate: _c, ...undecodable } = goodSecret;
    assert.equal(reason(input({ secret: { ...undecodable, certificateDecodes: false } })), "InvalidKeyPair");
  });

  it("reissues when another issuer issued the secret, applying kind and group defaults", () => {
    const verdict = firstReissueReason(
      input({ certificate: { name: "web", issuerRef: { name: "ca" }, changedFields: [] } }),
    );
    assert.deepEqual(verdict, {
      reason: "IncorrectIssuer",
      message: 'Issuing certificate as Secret was previously issued by "ClusterIssuer.cert-manager.io/ca"',
    });
  });

  it("reissues when the secret names another certificate", () => {
    const annotations = { ...goodSecret.annotations, "cert-manager.io/certificate-name": "other" };
    assert.equal(reason(input({ secret: { ...goodSecret, annotations } })), "IncorrectCertificate");
  });

  it("reissues when the key no longer matches the spec", () => {
    const certificate = {
      name: "web",
      issuerRef: { name: "ca", kind: "ClusterIssuer" },
      privateKey: { algorithm: "ECDSA" },
      changedFields: [],
    };
    assert.deepEqual(firstReissueReason(input({ certificate })), {
      reason: "SecretMismatch",
      message: "Existing private key is not up to date for spec: [spec.privateKey.algorithm]",
    });
  });

  it("reissues when the spec changed, and at the renewal time, in that order", () => {
    const changed = {
      name: "web",
      issuerRef: { name: "ca", kind: "ClusterIssuer" },
      changedFields: ["spec.dnsNames"],
    };
    const due = new Date("2026-03-01T00:00:00Z");
    assert.equal(reason(input({ certificate: changed, now: due })), "RequestChanged");
    assert.deepEqual(firstReissueReason(input({ now: due })), {
      reason: "Renewing",
      message: "Renewing certificate as renewal was scheduled at 2026-03-01T00:00:00.000Z",
    });
  });

  it("never renews on time when renewal is disabled", () => {
    assert.equal(
      firstReissueReason(input({ renewalTime: undefined, now: new Date("2030-01-01T00:00:00Z") })),
      undefined,
    );
  });

  it("checks the secret before anything else", () => {
    const changed = { name: "web", issuerRef: { name: "x" }, changedFields: ["spec.dnsNames"] };
    assert.equal(reason(input({ certificate: changed, secret: undefined })), "DoesNotExist");
  });
});
