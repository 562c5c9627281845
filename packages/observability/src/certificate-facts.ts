// Turns the API's rendering of Certificates (what `certctl get certificates -A` shows) into the facts
// the gauges report, so the metrics say exactly what users read.
import type { CertplaneApi, ResourceObject } from "@certplane/api";
import type {
  CertificateFacts,
  CertificateFactsSource,
  ReadyConditionStatus,
} from "./certificate-metrics.ts";

interface CertificateView {
  readonly spec?: {
    readonly issuerRef?: { readonly name?: string; readonly kind?: string; readonly group?: string };
  };
  readonly status?: {
    readonly conditions?: readonly { readonly type: string; readonly status: string }[];
    readonly notBefore?: string;
    readonly notAfter?: string;
    readonly renewalTime?: string;
  };
}

function readyOf(view: CertificateView): ReadyConditionStatus {
  const status = view.status?.conditions?.find((condition) => condition.type === "Ready")?.status;
  return status === "True" || status === "False" ? status : "Unknown";
}

function time(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

export function certificateFactsOf(object: ResourceObject): CertificateFacts {
  const view = object as unknown as CertificateView;
  const issuerRef = view.spec?.issuerRef;
  const notBefore = time(view.status?.notBefore);
  const notAfter = time(view.status?.notAfter);
  const renewalTime = time(view.status?.renewalTime);
  return {
    name: object.metadata.name,
    namespace: object.metadata.namespace ?? "",
    issuerName: issuerRef?.name ?? "",
    // As cert-manager labels them: the spec's own values, empty when the spec leaves them out.
    issuerKind: issuerRef?.kind ?? "",
    issuerGroup: issuerRef?.group ?? "",
    ready: readyOf(view),
    ...(notBefore === undefined ? {} : { notBefore }),
    ...(notAfter === undefined ? {} : { notAfter }),
    ...(renewalTime === undefined ? {} : { renewalTime }),
  };
}

/** Every Certificate in every namespace, read through the API at scrape time. */
export function certificateFactsFromApi(api: CertplaneApi): CertificateFactsSource {
  return async () =>
    (await api.get({ kind: "Certificate", allNamespaces: true })).items.map(certificateFactsOf);
}
