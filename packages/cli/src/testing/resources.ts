import type { CertificateDetails, ResourceObject } from "@certplane/api";

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

interface AcmeOptions {
  readonly name: string;
  readonly created?: string;
  readonly state?: string;
  readonly reason?: string;
}

export function order(options: AcmeOptions & { readonly url?: string }): ResourceObject {
  return {
    apiVersion: "acme.cert-manager.io/v1",
    kind: "Order",
    metadata: {
      name: options.name,
      namespace: "demo-apps",
      creationTimestamp: options.created ?? "2026-01-10T11:00:00Z",
    },
    spec: { issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" }, dnsNames: ["myapp.example.com"] },
    status: {
      ...(options.url === undefined ? {} : { url: options.url }),
      ...(options.state === undefined ? {} : { state: options.state }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      authorizations: [
        {
          url: "https://acme.example/authz/1",
          identifier: "myapp.example.com",
          wildcard: false,
          initialState: "pending",
          challenges: [],
        },
      ],
    },
  };
}

export function challenge(
  options: AcmeOptions & {
    readonly dnsName: string;
    readonly type: "HTTP-01" | "DNS-01";
    readonly wildcard?: boolean;
    readonly presented?: boolean;
  },
): ResourceObject {
  return {
    apiVersion: "acme.cert-manager.io/v1",
    kind: "Challenge",
    metadata: {
      name: options.name,
      namespace: "demo-apps",
      creationTimestamp: options.created ?? "2026-01-10T11:00:00Z",
    },
    spec: {
      type: options.type,
      dnsName: options.dnsName,
      wildcard: options.wildcard ?? false,
      token: "tok",
      key: "tok.thumbprint",
    },
    status: {
      processing: true,
      presented: options.presented ?? false,
      ...(options.state === undefined ? {} : { state: options.state }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    },
  };
}

/** The parsed leaf of myapp-tls-secret, as inspectSecret returns it. */
export const leaf: CertificateDetails = {
  subject: "CN=myapp.example.com",
  issuer: "CN=demo CA",
  serialNumber: "4f:2a:01",
  notBefore: "2026-01-10T09:00:00Z",
  notAfter: "2026-04-10T09:00:00Z",
  dnsNames: ["myapp.example.com", "www.myapp.example.com"],
  ipAddresses: [],
  uris: [],
  emailAddresses: [],
  isCA: false,
  keyAlgorithm: "RSA",
  keySize: 2048,
  signatureAlgorithm: "SHA256WithRSA",
  keyUsages: ["digital signature", "key encipherment"],
  extKeyUsages: ["server auth"],
  sha1Fingerprint: "11:22",
  sha256Fingerprint: "33:44",
};
