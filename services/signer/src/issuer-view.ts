import type { ExistingIssuer, IssuerSpecFields, IssuerType } from "@certplane/domain/model";
import { issuerTypeOf, parseStreamName } from "@certplane/domain/model";
import type { IssuerView, Signer } from "./signer.ts";

/** The signers this service runs, by issuer type; types without one belong to other services. */
export type Signers = Partial<Record<IssuerType, Signer>>;

export function signerFor(signers: Signers, spec: IssuerSpecFields): Signer | undefined {
  const type = issuerTypeOf(spec);
  return type === undefined ? undefined : signers[type];
}

/** A ClusterIssuer's secrets live in the cluster resource namespace, an Issuer's in its own. */
export function issuerViewOf(
  stream: string,
  state: ExistingIssuer,
  clusterResourceNamespace: string,
): IssuerView {
  const ref = parseStreamName(stream);
  return ref.category === "clusterIssuer"
    ? { kind: "ClusterIssuer", name: ref.name, resourceNamespace: clusterResourceNamespace, spec: state.spec }
    : { kind: "Issuer", name: ref.name, resourceNamespace: ref.namespace ?? "", spec: state.spec };
}
