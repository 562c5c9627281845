import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "../../errors.ts";
import { validateResource } from "../../validation/validate-resource.ts";
import { certificatesForIngress } from "./ingress-certificates.ts";

// The deep dive's Ingress, as it appears there.
const seedIngress = {
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: {
    name: "hello-app",
    namespace: "demo-apps",
    annotations: { "cert-manager.io/cluster-issuer": "demo-ca-issuer" },
  },
  spec: {
    ingressClassName: "nginx",
    tls: [{ hosts: ["hello.example.com"], secretName: "hello-app-tls" }],
    rules: [
      {
        host: "hello.example.com",
        http: {
          paths: [
            {
              path: "/",
              pathType: "Prefix",
              backend: { service: { name: "hello-app", port: { number: 80 } } },
            },
          ],
        },
      },
    ],
  },
};

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error.issues.map((i) => [i.field, i.message]);
  }
  assert.fail("expected a ValidationError");
};

describe("the ingress-shim: Certificates an Ingress implies", () => {
  it("turns the seed's Ingress into the Certificate cert-manager creates, which validates", () => {
    const [certificate, ...rest] = certificatesForIngress(seedIngress);
    assert.equal(rest.length, 0);
    assert.deepEqual(certificate, {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: {
        name: "hello-app-tls",
        namespace: "demo-apps",
        annotations: { "certplane.io/ingress": "demo-apps/hello-app" },
      },
      spec: {
        dnsNames: ["hello.example.com"],
        secretName: "hello-app-tls",
        issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer", group: "cert-manager.io" },
      },
    });
    assert.equal(validateResource(certificate).ok, true);
  });

  it("an Ingress naming no issuer implies nothing", () => {
    assert.deepEqual(
      certificatesForIngress({ ...seedIngress, metadata: { name: "plain", namespace: "x" } }),
      [],
    );
  });

  it("carries every certificate annotation into the spec, and issuer-kind/group override the kind", () => {
    const [certificate] = certificatesForIngress({
      metadata: {
        name: "web",
        namespace: "apps",
        labels: { team: "edge" },
        annotations: {
          "cert-manager.io/issuer": "vault",
          "cert-manager.io/issuer-kind": "VaultIssuer",
          "cert-manager.io/issuer-group": "example.io",
          "cert-manager.io/common-name": "web.example.com",
          "cert-manager.io/email-sans": "a@example.com, b@example.com",
          "cert-manager.io/duration": "2160h",
          "cert-manager.io/renew-before": "360h",
          "cert-manager.io/usages": "server auth,client auth",
          "cert-manager.io/revision-history-limit": "3",
          "cert-manager.io/private-key-algorithm": "ECDSA",
          "cert-manager.io/private-key-encoding": "PKCS8",
          "cert-manager.io/private-key-size": "384",
          "cert-manager.io/private-key-rotation-policy": "Always",
          "cert-manager.io/subject-organizations": "Example Inc",
          "cert-manager.io/subject-countries": "DE,FR",
          "cert-manager.io/subject-serialnumber": "42",
        },
      },
      spec: {
        tls: [
          { hosts: ["web.example.com"], secretName: "web-tls" },
          { hosts: ["www.example.com", "10.0.0.1"], secretName: "web-tls" },
        ],
      },
    });
    assert.deepEqual(certificate?.metadata.labels, { team: "edge" });
    assert.deepEqual(certificate?.spec, {
      commonName: "web.example.com",
      emailAddresses: ["a@example.com", "b@example.com"],
      duration: "2160h",
      renewBefore: "360h",
      usages: ["server auth", "client auth"],
      revisionHistoryLimit: 3,
      privateKey: { algorithm: "ECDSA", encoding: "PKCS8", size: 384, rotationPolicy: "Always" },
      subject: { organizations: ["Example Inc"], countries: ["DE", "FR"], serialNumber: "42" },
      dnsNames: ["web.example.com", "www.example.com"],
      ipAddresses: ["10.0.0.1"],
      secretName: "web-tls",
      issuerRef: { name: "vault", kind: "VaultIssuer", group: "example.io" },
    });
  });

  it("refuses both issuer annotations, a bad duration and a tls entry without secretName, all at once", () => {
    const annotations = {
      "cert-manager.io/issuer": "a",
      "cert-manager.io/cluster-issuer": "b",
      "cert-manager.io/duration": "90 days",
    };
    const issues = issuesOf(() =>
      certificatesForIngress({
        metadata: { name: "x", annotations },
        spec: { tls: [{ hosts: ["x.example.com"] }] },
      }),
    );
    assert.deepEqual(
      issues.map(([field]) => field),
      [
        "metadata.annotations[cert-manager.io/cluster-issuer]",
        "metadata.annotations[cert-manager.io/duration]",
        "spec.tls[0].secretName",
      ],
    );
    assert.equal(
      issues[0]?.[1],
      "both cert-manager.io/issuer and cert-manager.io/cluster-issuer may not be set: keep one",
    );
    assert.match(issues[1]?.[1] ?? "", /^cert-manager\.io\/duration annotation: .*90 days/);
    assert.equal(issues[2]?.[1], 'TLS entry 0 for hosts ["x.example.com"] must specify a secretName');
  });

  it("kubernetes.io/tls-acme uses the default issuer, and says what to add when there is none", () => {
    const acme = {
      metadata: { name: "x", namespace: "n", annotations: { "kubernetes.io/tls-acme": "true" } },
      spec: { tls: [{ hosts: ["x.example.com"], secretName: "x-tls" }] },
    };
    const [certificate] = certificatesForIngress(acme, {
      defaultIssuer: { name: "le", kind: "ClusterIssuer", group: "cert-manager.io" },
    });
    assert.deepEqual(certificate?.spec.issuerRef, {
      name: "le",
      kind: "ClusterIssuer",
      group: "cert-manager.io",
    });
    assert.match(
      issuesOf(() => certificatesForIngress(acme))[0]![1]!,
      /no default issuer is configured: name the issuer with cert-manager\.io\/cluster-issuer/,
    );
  });
});
