// cert-manager's ingress-shim (pkg/controller/certificate-shim): an Ingress annotated with an issuer
// implies one Certificate per `spec.tls` secretName, in the Ingress's namespace, named after the
// secret, with the tls entry's hosts as DNS names and the certificate annotations as spec fields.

import { readGoDuration } from "../../duration.ts";
import type { FieldIssue } from "../../errors.ts";
import { ValidationError } from "../../errors.ts";
import { secretTargetsAnnotation } from "../../resources/secret-target.ts";

export const ingressAnnotations = {
  issuer: "cert-manager.io/issuer",
  clusterIssuer: "cert-manager.io/cluster-issuer",
  issuerKind: "cert-manager.io/issuer-kind",
  issuerGroup: "cert-manager.io/issuer-group",
  tlsAcme: "kubernetes.io/tls-acme",
  commonName: "cert-manager.io/common-name",
  emailSans: "cert-manager.io/email-sans",
  duration: "cert-manager.io/duration",
  renewBefore: "cert-manager.io/renew-before",
  usages: "cert-manager.io/usages",
  revisionHistoryLimit: "cert-manager.io/revision-history-limit",
  privateKeyAlgorithm: "cert-manager.io/private-key-algorithm",
  privateKeyEncoding: "cert-manager.io/private-key-encoding",
  privateKeySize: "cert-manager.io/private-key-size",
  privateKeyRotationPolicy: "cert-manager.io/private-key-rotation-policy",
} as const;

/** Subject annotations and the subject field each one fills (comma-separated lists). */
const subjectAnnotations = {
  "cert-manager.io/subject-organizations": "organizations",
  "cert-manager.io/subject-organizationalunits": "organizationalUnits",
  "cert-manager.io/subject-countries": "countries",
  "cert-manager.io/subject-provinces": "provinces",
  "cert-manager.io/subject-localities": "localities",
  "cert-manager.io/subject-postalcodes": "postalCodes",
  "cert-manager.io/subject-streetaddresses": "streetAddresses",
} as const;
const subjectSerialNumber = "cert-manager.io/subject-serialnumber";

/** Marks a Certificate made from an Ingress, so re-applying the Ingress updates it. */
export const ingressSourceAnnotation = "certplane.io/ingress";
/** The SecretTarget whose cluster the Ingress was watched in; absent for an applied manifest. */
export const ingressClusterAnnotation = "certplane.io/ingress-cluster";

export interface DefaultIssuer {
  readonly name: string;
  readonly kind: string;
  readonly group: string;
}

export interface IngressCertificate {
  readonly apiVersion: "cert-manager.io/v1";
  readonly kind: "Certificate";
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: Readonly<Record<string, unknown>>;
}

export interface IngressLike {
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: {
    readonly tls?: readonly { readonly hosts?: readonly string[]; readonly secretName?: string }[];
  };
}

const list = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)$/;

/**
 * Whether cert-manager's shim syncs this Ingress at all: one that names no issuer is left alone,
 * so taking the annotation off keeps the Certificates it made (cert-manager does the same).
 */
export function ingressNamesIssuer(ingress: IngressLike): boolean {
  const annotations = ingress.metadata?.annotations ?? {};
  return (
    annotations[ingressAnnotations.issuer] !== undefined ||
    annotations[ingressAnnotations.clusterIssuer] !== undefined ||
    annotations[ingressAnnotations.tlsAcme] === "true"
  );
}

/**
 * The Certificates an Ingress implies; none when it names no issuer. Every problem is reported at
 * once with the annotation or tls entry it comes from, as cert-manager's shim records them.
 */
export function certificatesForIngress(
  ingress: IngressLike,
  options: {
    readonly defaultIssuer?: DefaultIssuer;
    /** The SecretTarget the Ingress was watched through: its Secret is published back there. */
    readonly cluster?: string;
  } = {},
): IngressCertificate[] {
  const annotations = ingress.metadata?.annotations ?? {};
  const namespace = ingress.metadata?.namespace ?? "default";
  const name = ingress.metadata?.name ?? "";
  const issues: FieldIssue[] = [];
  const at = (annotation: string) => `metadata.annotations[${annotation}]`;
  const issue = (field: string, rule: string, message: string) => issues.push({ field, rule, message });

  const issuerName = annotations[ingressAnnotations.issuer];
  const clusterIssuerName = annotations[ingressAnnotations.clusterIssuer];
  if (!ingressNamesIssuer(ingress)) return [];
  if (issuerName !== undefined && clusterIssuerName !== undefined) {
    issue(
      at(ingressAnnotations.clusterIssuer),
      "conflictingIssuerAnnotations",
      `both ${ingressAnnotations.issuer} and ${ingressAnnotations.clusterIssuer} may not be set: keep one`,
    );
  }
  const issuerRef = (() => {
    if (issuerName !== undefined) return { name: issuerName, kind: "Issuer", group: "cert-manager.io" };
    if (clusterIssuerName !== undefined)
      return { name: clusterIssuerName, kind: "ClusterIssuer", group: "cert-manager.io" };
    if (options.defaultIssuer !== undefined) return options.defaultIssuer;
    issue(
      at(ingressAnnotations.tlsAcme),
      "noDefaultIssuer",
      `${ingressAnnotations.tlsAcme} is set but no default issuer is configured: name the issuer with ${ingressAnnotations.clusterIssuer} or ${ingressAnnotations.issuer}`,
    );
    return undefined;
  })();
  const kind = annotations[ingressAnnotations.issuerKind];
  const group = annotations[ingressAnnotations.issuerGroup];

  const spec: Record<string, unknown> = {};
  const commonName = annotations[ingressAnnotations.commonName];
  if (commonName !== undefined) spec.commonName = commonName;
  const emails = annotations[ingressAnnotations.emailSans];
  if (emails !== undefined) spec.emailAddresses = list(emails);
  for (const annotation of [ingressAnnotations.duration, ingressAnnotations.renewBefore] as const) {
    const value = annotations[annotation];
    if (value === undefined) continue;
    const reading = readGoDuration(value);
    if (!reading.ok) issue(at(annotation), "duration", `${annotation} annotation: ${reading.message}`);
    spec[annotation === ingressAnnotations.duration ? "duration" : "renewBefore"] = value;
  }
  const usages = annotations[ingressAnnotations.usages];
  if (usages !== undefined) spec.usages = list(usages);
  const limit = annotations[ingressAnnotations.revisionHistoryLimit];
  if (limit !== undefined) {
    const parsed = Number(limit);
    if (!/^-?\d+$/.test(limit) || parsed < 1)
      issue(
        at(ingressAnnotations.revisionHistoryLimit),
        "revisionHistoryLimit",
        `${ingressAnnotations.revisionHistoryLimit} annotation: must be a positive integer, got ${JSON.stringify(limit)}`,
      );
    spec.revisionHistoryLimit = parsed;
  }
  const privateKey: Record<string, unknown> = {};
  const algorithm = annotations[ingressAnnotations.privateKeyAlgorithm];
  if (algorithm !== undefined) privateKey.algorithm = algorithm;
  const encoding = annotations[ingressAnnotations.privateKeyEncoding];
  if (encoding !== undefined) privateKey.encoding = encoding;
  const size = annotations[ingressAnnotations.privateKeySize];
  if (size !== undefined) {
    if (!/^\d+$/.test(size))
      issue(
        at(ingressAnnotations.privateKeySize),
        "privateKeySize",
        `${ingressAnnotations.privateKeySize} annotation: must be an integer, got ${JSON.stringify(size)}`,
      );
    privateKey.size = Number(size);
  }
  const rotation = annotations[ingressAnnotations.privateKeyRotationPolicy];
  if (rotation !== undefined) privateKey.rotationPolicy = rotation;
  if (Object.keys(privateKey).length > 0) spec.privateKey = privateKey;
  const subject: Record<string, unknown> = {};
  for (const [annotation, field] of Object.entries(subjectAnnotations)) {
    const value = annotations[annotation];
    if (value !== undefined) subject[field] = list(value);
  }
  const serial = annotations[subjectSerialNumber];
  if (serial !== undefined) subject.serialNumber = serial;
  if (Object.keys(subject).length > 0) spec.subject = subject;

  // Entries naming the same Secret make one Certificate with all their hosts.
  const bySecret = new Map<string, string[]>();
  (ingress.spec?.tls ?? []).forEach((entry, index) => {
    if (!entry.secretName) {
      issue(
        `spec.tls[${index}].secretName`,
        "required",
        `TLS entry ${index} for hosts ${JSON.stringify(entry.hosts ?? [])} must specify a secretName`,
      );
      return;
    }
    if ((entry.hosts ?? []).length === 0) {
      issue(
        `spec.tls[${index}].hosts`,
        "required",
        `TLS entry ${index} for secret ${entry.secretName} must specify at least one host`,
      );
      return;
    }
    const hosts = bySecret.get(entry.secretName) ?? [];
    bySecret.set(entry.secretName, [...new Set([...hosts, ...(entry.hosts ?? [])])]);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  if (issuerRef === undefined) return [];

  return [...bySecret].map(([secretName, hosts]) => {
    const dnsNames = hosts.filter((host) => !IP.test(host));
    const ipAddresses = hosts.filter((host) => IP.test(host));
    return {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: {
        name: secretName,
        namespace,
        ...(ingress.metadata?.labels ? { labels: ingress.metadata.labels } : {}),
        annotations: {
          [ingressSourceAnnotation]: `${namespace}/${name}`,
          ...(options.cluster === undefined
            ? {}
            : { [ingressClusterAnnotation]: options.cluster, [secretTargetsAnnotation]: options.cluster }),
        },
      },
      spec: {
        ...spec,
        ...(dnsNames.length > 0 ? { dnsNames } : {}),
        ...(ipAddresses.length > 0 ? { ipAddresses } : {}),
        secretName,
        issuerRef: { name: issuerRef.name, kind: kind ?? issuerRef.kind, group: group ?? issuerRef.group },
      },
    };
  });
}
