import type { SecretTargetSpec } from "../../resources/secret-target.ts";
import { secretTargetsAnnotation } from "../../resources/secret-target.ts";
import type { UserMeta } from "../object-meta.ts";

/** What a target's selector looks at: the Certificate whose Secret would be published. */
export interface SelectableCertificate extends UserMeta {
  readonly namespace: string;
}

/** The targets a Certificate names itself in `certplane.io/secret-targets`. */
export function namedTargets(certificate: SelectableCertificate): string[] {
  return (certificate.annotations?.[secretTargetsAnnotation] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/** Whether target `name` receives this Certificate's Secret: named by the Certificate, or selected. */
export function targetSelects(
  target: { readonly name: string; readonly spec: SecretTargetSpec },
  certificate: SelectableCertificate,
): boolean {
  if (namedTargets(certificate).includes(target.name)) return true;
  const { namespaces, matchLabels } = target.spec.selector ?? {};
  if (namespaces !== undefined && !namespaces.includes(certificate.namespace)) return false;
  return Object.entries(matchLabels ?? {}).every(([key, value]) => certificate.labels?.[key] === value);
}
