import type {
  ApplyResponse,
  DescribeResponse,
  GetResponse,
  HistoryResponse,
  InspectSecretResponse,
  RebuildReadModelsStatus,
  ReplayResponse,
  ResourceObject,
} from "../operations.ts";

export const certificate: ResourceObject = {
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: {
    name: "myapp-tls",
    namespace: "demo-apps",
    uid: "0b7e5a0c-3f1e-4c1a-9a57-0d4c1f0e9d11",
    generation: 2,
    creationTimestamp: "2026-01-10T09:00:00Z",
    labels: { team: "payments" },
    annotations: { "note.example.com/ü": "non-ASCII ✓" },
  },
  spec: { secretName: "myapp-tls-secret", dnsNames: ["myapp.example.com"], issuerRef: { name: "demo-ca" } },
  status: {
    conditions: [{ type: "Ready", status: "True", reason: "Ready", message: "Certificate is up to date" }],
    notAfter: "2026-04-10T09:00:00Z",
    revision: 1,
  },
};

export const applyResponse: ApplyResponse = {
  results: [
    { kind: "Certificate", name: "myapp-tls", namespace: "demo-apps", outcome: "created" },
    { kind: "ClusterIssuer", name: "demo-ca", outcome: "unchanged" },
  ],
  dryRun: false,
};

export const getResponse: GetResponse = { items: [certificate] };

export const describeResponse: DescribeResponse = {
  object: certificate,
  related: [{ ...certificate, kind: "CertificateRequest", metadata: { name: "myapp-tls-1" } }],
  events: [
    {
      time: "2026-01-10T09:00:01Z",
      object: "CertificateRequest demo-apps/myapp-tls-1",
      event: "CertificateIssued",
      reason: "Issued",
      message: "Certificate fetched from issuer successfully",
    },
  ],
};

const leaf = {
  subject: "CN=myapp.example.com",
  issuer: "CN=demo CA",
  serialNumber: "0a1b2c",
  notBefore: "2026-01-10T09:00:00Z",
  notAfter: "2026-04-10T09:00:00Z",
  dnsNames: ["myapp.example.com"],
  ipAddresses: ["10.0.0.1"],
  uris: [],
  emailAddresses: [],
  isCA: false,
  keyAlgorithm: "ECDSA",
  keySize: 256,
  signatureAlgorithm: "ECDSAWithSHA256",
  keyUsages: ["digital signature"],
  extKeyUsages: ["server auth"],
  sha1Fingerprint: "AA:BB",
  sha256Fingerprint: "CC:DD",
};

export const inspectResponse: InspectSecretResponse = {
  name: "myapp-tls-secret",
  namespace: "demo-apps",
  annotations: { "cert-manager.io/certificate-name": "myapp-tls" },
  chain: [leaf],
  ca: { ...leaf, subject: "CN=demo CA", isCA: true, dnsNames: [], ipAddresses: [] },
  chainVerifiesAgainstCa: { ok: false, reason: "leaf signature does not verify" },
  hasPrivateKey: true,
};

export const historyResponse: HistoryResponse = {
  revisions: [
    {
      revision: 1,
      requestName: "myapp-tls-1",
      trigger: "DoesNotExist",
      triggerMessage: "Issuing certificate as Secret does not exist",
      triggeredAt: "2026-01-10T09:00:00Z",
      outcome: "issued",
      serialNumber: "0a1b2c",
      notBefore: "2026-01-10T09:00:00Z",
      notAfter: "2026-04-10T09:00:00Z",
    },
    {
      revision: 2,
      requestName: "myapp-tls-2",
      trigger: "ManuallyTriggered",
      triggerMessage: "Renewal requested by certctl",
      triggeredAt: "2026-02-10T09:00:00Z",
      outcome: "pending",
    },
  ],
  events: [
    {
      time: "2026-01-10T09:00:00Z",
      object: "Certificate demo-apps/myapp-tls",
      event: "CertificateApplied",
      reason: "Applied",
      message: "Applied, generation 1",
      id: "5d0c1f0e-0000-4000-8000-000000000001",
      stream: "certificate-demo-apps_myapp-tls",
      version: "0",
      position: "1",
      recordedAt: "2026-01-10T09:00:00.002Z",
      actor: "local:ünïcode",
      producer: "intake",
      correlationId: "c-1",
      causationId: "c-1",
    },
    {
      time: "2026-02-10T09:00:00Z",
      object: "Certificate demo-apps/myapp-tls",
      event: "IssuanceTriggered",
      reason: "ManuallyTriggered",
      message: "Renewal requested by certctl",
      id: "5d0c1f0e-0000-4000-8000-000000000002",
      stream: "certificateIssuance-demo-apps_myapp-tls",
      version: "3",
      position: "17",
      recordedAt: "2026-02-10T09:00:00.004Z",
      actor: "x509:CN=ops",
      producer: "renewal-scheduler",
      correlationId: "c-2",
      causationId: "c-2",
      causeObject: "Certificate demo-apps/myapp-tls",
      causeEvent: "CertificateApplied",
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      command: { id: "cmd-1", type: "TriggerIssuance", sender: "intake" },
    },
  ],
};

export const rebuildStatus: RebuildReadModelsStatus = {
  id: "rebuild-1",
  state: "done",
  folded: 1_048_576,
  total: 1_048_570,
  startedAt: "2026-02-10T09:30:00.000Z",
  finishedAt: "2026-02-10T09:30:09.500Z",
  position: "1048576",
};

export const replayResponse: ReplayResponse = {
  at: "2026-02-10T09:30:00Z",
  items: [
    certificate,
    { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: { name: "demo-ca" } },
  ],
};
