import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CertificateSpec } from "../resources/certificate.ts";
import { applyCertificateDefaults } from "./certificate-defaults.ts";

const minimal: CertificateSpec = { secretName: "s", issuerRef: { name: "ca" }, dnsNames: ["a.example.com"] };

describe("certificate defaults (interpreted, not persisted)", () => {
  it("fills every default cert-manager interprets for a minimal spec", () => {
    assert.deepEqual(applyCertificateDefaults(minimal), {
      issuerRef: { name: "ca", kind: "Issuer", group: "cert-manager.io" },
      privateKey: { algorithm: "RSA", size: 2048, encoding: "PKCS1", rotationPolicy: "Always" },
      duration: "2160h0m0s",
      durationMs: 2160 * 3_600_000,
      usages: ["digital signature", "key encipherment"],
      isCA: false,
      encodeUsagesInRequest: true,
      revisionHistoryLimit: 1,
    });
  });

  it("leaves the input spec untouched", () => {
    const spec = structuredClone(minimal);
    applyCertificateDefaults(spec);
    assert.deepEqual(spec, minimal);
  });

  it("defaults ECDSA keys to 256 bits and gives Ed25519 no size", () => {
    assert.equal(
      applyCertificateDefaults({ ...minimal, privateKey: { algorithm: "ECDSA" } }).privateKey.size,
      256,
    );
    assert.equal(
      applyCertificateDefaults({ ...minimal, privateKey: { algorithm: "Ed25519", size: 256 } }).privateKey
        .size,
      undefined,
    );
  });

  it("keeps what the user set", () => {
    const effective = applyCertificateDefaults({
      ...minimal,
      issuerRef: { name: "le", kind: "ClusterIssuer", group: "cert-manager.io" },
      privateKey: { algorithm: "RSA", size: 4096, encoding: "PKCS8", rotationPolicy: "Never" },
      duration: "24h",
      usages: ["server auth"],
      revisionHistoryLimit: 3,
      encodeUsagesInRequest: false,
    });
    assert.equal(effective.issuerRef.kind, "ClusterIssuer");
    assert.deepEqual(effective.privateKey, {
      algorithm: "RSA",
      size: 4096,
      encoding: "PKCS8",
      rotationPolicy: "Never",
    });
    assert.equal(effective.duration, "24h0m0s");
    assert.deepEqual(effective.usages, ["server auth"]);
    assert.equal(effective.revisionHistoryLimit, 3);
    assert.equal(effective.encodeUsagesInRequest, false);
  });

  it("treats an empty issuerRef kind and group as unset", () => {
    const effective = applyCertificateDefaults({
      ...minimal,
      issuerRef: { name: "ca", kind: "", group: "" },
    });
    assert.deepEqual(effective.issuerRef, { name: "ca", kind: "Issuer", group: "cert-manager.io" });
  });
});
