import type { AcmeIssuer } from "@certplane/domain";
import type { ExistingIssuer, IssuerState } from "@certplane/domain/model";
import { issuerDecider, issuerStreamFor, issuerTypeOf, parseStreamName } from "@certplane/domain/model";
import type { AggregateRunner } from "@certplane/runtime";

/** An active ACME Issuer or ClusterIssuer as the solver needs it. */
export interface AcmeIssuerView {
  readonly stream: string;
  readonly issuer: ExistingIssuer;
  readonly acme: AcmeIssuer;
  /** Where its secrets live: its own namespace, or the cluster resource namespace for a ClusterIssuer. */
  readonly secretNamespace: string;
}

export function acmeIssuerView(
  stream: string,
  state: IssuerState,
  clusterResourceNamespace: string,
): AcmeIssuerView | undefined {
  if (state.status !== "active" || issuerTypeOf(state.spec) !== "acme") return undefined;
  const ref = parseStreamName(stream);
  return {
    stream,
    issuer: state,
    acme: state.spec.acme as AcmeIssuer,
    secretNamespace: ref.category === "clusterIssuer" ? clusterResourceNamespace : (ref.namespace ?? ""),
  };
}

export async function loadAcmeIssuer(
  runner: AggregateRunner,
  namespace: string,
  issuerRef: { readonly name: string; readonly kind?: string },
  clusterResourceNamespace: string,
): Promise<AcmeIssuerView | undefined> {
  const stream = issuerStreamFor(namespace, issuerRef);
  const { state } = await runner.load(stream, issuerDecider);
  return acmeIssuerView(stream, state, clusterResourceNamespace);
}
