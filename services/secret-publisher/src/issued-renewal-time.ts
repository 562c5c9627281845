import type { CertificateSpec } from "@certplane/domain";
import { readGoDuration } from "@certplane/domain";
import type { CertificateView } from "@certplane/pki";
import { renewalTime } from "@certplane/pki";

/** When the issued certificate should be renewed; none when the spec disables renewal. */
export function issuedRenewalTime(spec: CertificateSpec, leaf: CertificateView): string | undefined {
  if (spec.renewal?.policy === "Disabled") return undefined;
  const renewBefore = spec.renewBefore === undefined ? undefined : readGoDuration(spec.renewBefore);
  return renewalTime({
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    ...(renewBefore?.ok ? { renewBefore: renewBefore.ms } : {}),
    ...(spec.renewBeforePercentage === undefined
      ? {}
      : { renewBeforePercentage: spec.renewBeforePercentage }),
  }).toISOString();
}
