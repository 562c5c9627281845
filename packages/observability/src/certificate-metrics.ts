// cert-manager's Certificate gauges (pkg/metrics/certificates.go), so its dashboards and alerts work
// unchanged. They are computed when Prometheus scrapes, from the read model that already holds every
// Certificate's status: nothing is updated per event, and a deleted Certificate simply stops appearing.
import { Gauge, type Registry } from "prom-client";

export type ReadyConditionStatus = "True" | "False" | "Unknown";

/** What the gauges say about one Certificate, as its read model renders it. */
export interface CertificateFacts {
  readonly name: string;
  readonly namespace: string;
  readonly issuerName: string;
  readonly issuerKind: string;
  readonly issuerGroup: string;
  /** The Ready condition's status; "Unknown" when there is no Ready condition yet. */
  readonly ready: ReadyConditionStatus;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly renewalTime?: Date;
}

export type CertificateFactsSource = () => Promise<readonly CertificateFacts[]>;

// cert-manager exposes all three series per Certificate, 1 for the current status and 0 for the others.
const READY_STATUSES: readonly ReadyConditionStatus[] = ["True", "False", "Unknown"];
const CERTIFICATE_LABELS = ["name", "namespace", "issuer_name", "issuer_kind", "issuer_group"] as const;

type CertificateLabels = Record<(typeof CERTIFICATE_LABELS)[number], string>;

function labelsOf(facts: CertificateFacts): CertificateLabels {
  return {
    name: facts.name,
    namespace: facts.namespace,
    issuer_name: facts.issuerName,
    issuer_kind: facts.issuerKind,
    issuer_group: facts.issuerGroup,
  };
}

// An absent time is 0, as cert-manager reports it before the first issuance.
function epochSeconds(time: Date | undefined): number {
  return time === undefined ? 0 : Math.floor(time.getTime() / 1000);
}

/** Registers the Certificate gauges on `registry`; each scrape reads `source` once. */
export function registerCertificateMetrics(registry: Registry, source: CertificateFactsSource): void {
  // One read per scrape, shared by the five gauges prom-client collects one after another.
  let pending: Promise<readonly CertificateFacts[]> | undefined;
  const snapshot = () => {
    pending ??= source().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const timeGauge = (name: string, help: string, pick: (facts: CertificateFacts) => Date | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: CERTIFICATE_LABELS,
      registers: [registry],
      async collect() {
        this.reset();
        for (const facts of await snapshot()) this.set(labelsOf(facts), epochSeconds(pick(facts)));
      },
    });
  timeGauge(
    "certmanager_certificate_expiration_timestamp_seconds",
    "The timestamp after which the certificate expires, expressed in Unix Epoch Time.",
    (facts) => facts.notAfter,
  );
  timeGauge(
    "certmanager_certificate_not_after_timestamp_seconds",
    "The timestamp after which the certificate is invalid, expressed as a Unix Epoch Time.",
    (facts) => facts.notAfter,
  );
  timeGauge(
    "certmanager_certificate_not_before_timestamp_seconds",
    "The timestamp before which the certificate is invalid, expressed as a Unix Epoch Time.",
    (facts) => facts.notBefore,
  );
  timeGauge(
    "certmanager_certificate_renewal_timestamp_seconds",
    "The timestamp after which the certificate should be renewed, expressed in Unix Epoch Time.",
    (facts) => facts.renewalTime,
  );
  new Gauge({
    name: "certmanager_certificate_ready_status",
    help: "The ready status of the certificate.",
    labelNames: [...CERTIFICATE_LABELS, "condition"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const facts of await snapshot()) {
        for (const condition of READY_STATUSES) {
          this.set({ ...labelsOf(facts), condition }, facts.ready === condition ? 1 : 0);
        }
      }
    },
  });
}
