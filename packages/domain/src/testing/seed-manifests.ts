// The manifests from the cert-manager deep-dive seed, as objects (the copy lost its YAML
// indentation; the structure is the evident one). Test data only.

export const seedManifests: Readonly<Record<string, unknown>> = {
  "self-signed ClusterIssuer": {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "selfsigned-issuer" },
    spec: { selfSigned: {} },
  },
  "ECDSA CA Certificate": {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "demo-ca", namespace: "cert-manager" },
    spec: {
      isCA: true,
      commonName: "demo-ca",
      subject: { organizations: ["Demo Corp"] },
      secretName: "demo-ca-secret",
      privateKey: { algorithm: "ECDSA", size: 256 },
      issuerRef: { name: "selfsigned-issuer", kind: "ClusterIssuer", group: "cert-manager.io" },
      duration: "87600h",
      renewBefore: "720h",
    },
  },
  "CA ClusterIssuer": {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "demo-ca-issuer" },
    spec: { ca: { secretName: "demo-ca-secret" } },
  },
  "RSA application Certificate": {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "myapp-tls", namespace: "demo-apps" },
    spec: {
      secretName: "myapp-tls-secret",
      commonName: "myapp.example.com",
      dnsNames: ["myapp.example.com", "www.myapp.example.com"],
      issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer", group: "cert-manager.io" },
      duration: "2160h",
      renewBefore: "360h",
      privateKey: { algorithm: "RSA", size: 2048 },
    },
  },
  "short-lived Certificate (1h, renew 30m before)": {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "short-lived-cert", namespace: "demo-apps" },
    spec: {
      secretName: "short-lived-cert-tls",
      dnsNames: ["short.example.com"],
      issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" },
      duration: "1h",
      renewBefore: "30m",
    },
  },
  "Let's Encrypt HTTP-01 ClusterIssuer": {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "letsencrypt-prod" },
    spec: {
      acme: {
        server: "https://acme-v02.api.letsencrypt.org/directory",
        email: "admin@yourcompany.com",
        privateKeySecretRef: { name: "letsencrypt-account-key" },
        solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }],
      },
    },
  },
  "Let's Encrypt DNS-01 Route53 ClusterIssuer": {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "letsencrypt-wildcard" },
    spec: {
      acme: {
        server: "https://acme-v02.api.letsencrypt.org/directory",
        email: "admin@yourcompany.com",
        privateKeySecretRef: { name: "letsencrypt-account-key" },
        solvers: [{ dns01: { route53: { region: "us-east-1", hostedZoneID: "Z0123456789ABCDEF" } } }],
      },
    },
  },
  "enterprise CA ClusterIssuer": {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "company-ca-issuer" },
    spec: { ca: { secretName: "company-ca-secret" } },
  },
  "Vault ClusterIssuer with Kubernetes auth": {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: "vault-issuer" },
    spec: {
      vault: {
        server: "https://vault.internal.company.com",
        path: "pki/sign/k8s-certs",
        auth: {
          kubernetes: {
            role: "cert-manager",
            mountPath: "/v1/auth/kubernetes",
            // The deep dive names no credential, which cert-manager refuses; this is the service
            // account examples/production-patterns.yaml adds, so the two stay one example.
            serviceAccountRef: { name: "vault-issuer" },
          },
        },
      },
    },
  },
  "demo namespace": { apiVersion: "v1", kind: "Namespace", metadata: { name: "demo-apps" } },
  "TLS Secret imported with kubectl create secret tls": {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/tls",
    metadata: { name: "company-ca-secret", namespace: "cert-manager" },
    data: { "tls.crt": "LS0tLS1CRUdJTg==", "tls.key": "LS0tLS1CRUdJTg==" },
  },
};
