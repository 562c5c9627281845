import type { ResourceObject } from "@certplane/api";

interface CertificateOptions {
  readonly name: string;
  readonly namespace?: string;
  readonly created?: string;
  readonly ready?: { readonly status: string; readonly reason: string; readonly message: string };
}

export function certificate(options: CertificateOptions): ResourceObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: {
      name: options.name,
      namespace: options.namespace ?? "demo-apps",
      creationTimestamp: options.created ?? "2026-01-10T09:00:00Z",
    },
    spec: {
      secretName: `${options.name}-secret`,
      dnsNames: [`${options.name}.example.com`],
      issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" },
    },
    status: {
      conditions: options.ready === undefined ? [] : [{ type: "Ready", ...options.ready }],
      notAfter: "2026-04-10T09:00:00Z",
    },
  };
}

export const ready = {
  status: "True",
  reason: "Ready",
  message: "Certificate is up to date and has not expired",
};
export const pending = {
  status: "False",
  reason: "DoesNotExist",
  message: "Issuing certificate as Secret does not exist",
};
