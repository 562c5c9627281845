import { type AcmeRoute53Provider, ValidationError } from "@certplane/domain";
import { type ReadSecret, solverSecret } from "../solver-secret.ts";
import type { Route53Identity } from "./route53-credentials.ts";
import { Route53Provider } from "./route53-provider.ts";

export interface Route53Deps {
  readonly readSecret: ReadSecret;
  /** cert-manager's --cluster-issuer-ambient-credentials / --issuer-ambient-credentials for this issuer. */
  readonly ambientCredentials: boolean;
  readonly timeoutMs?: number;
}

const field = "dns01.route53";

/** cert-manager's rules for a route53 solver's credentials, with its messages where it has them. */
export async function route53ProviderFor(
  spec: AcmeRoute53Provider,
  deps: Route53Deps,
): Promise<Route53Provider> {
  if (spec.auth?.kubernetes) {
    throw ValidationError.of(
      `${field}.auth.kubernetes`,
      "supported",
      "assuming a role with a Kubernetes service-account token is not supported yet by certplane; " +
        "use role with accessKeyID/secretAccessKeySecretRef or with the acme-solver's ambient AWS credentials",
    );
  }
  if (spec.accessKeyID && spec.accessKeyIDSecretRef) {
    throw ValidationError.of(field, "oneOf", "accessKeyID and accessKeyIDSecretRef cannot both be specified");
  }
  const accessKeyId = spec.accessKeyIDSecretRef
    ? await solverSecret(spec.accessKeyIDSecretRef, `${field}.accessKeyIDSecretRef`, deps.readSecret)
    : (spec.accessKeyID ?? "");
  const secretAccessKey = spec.secretAccessKeySecretRef
    ? await solverSecret(spec.secretAccessKeySecretRef, `${field}.secretAccessKeySecretRef`, deps.readSecret)
    : "";
  const identity = identityOf(accessKeyId, secretAccessKey, deps);
  return new Route53Provider({
    identity,
    ...(spec.role ? { role: spec.role } : {}),
    ...(spec.region ? { region: spec.region } : {}),
    ...(spec.hostedZoneID ? { hostedZoneID: spec.hostedZoneID } : {}),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
  });
}

function identityOf(accessKeyId: string, secretAccessKey: string, deps: Route53Deps): Route53Identity {
  if (accessKeyId && secretAccessKey) return { kind: "static", accessKeyId, secretAccessKey };
  if (accessKeyId || secretAccessKey) {
    throw ValidationError.of(
      field,
      "credentials",
      "only one of access and secret key was provided: set accessKeyID or accessKeyIDSecretRef together with secretAccessKeySecretRef",
    );
  }
  if (!deps.ambientCredentials) {
    throw ValidationError.of(
      field,
      "credentials",
      "empty credentials: an Issuer may not use the acme-solver's ambient AWS credentials (only a ClusterIssuer may); " +
        "set accessKeyID or accessKeyIDSecretRef with secretAccessKeySecretRef",
    );
  }
  return { kind: "ambient" };
}
