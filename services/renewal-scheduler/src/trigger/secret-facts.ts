// Secret facts for the trigger chain, from public material only: the leaf in tls.crt and the
// annotations. The sealed tls.key is never opened; its key id comes from the publisher's annotation.
import type { SecretEvent, SecretFacts } from "@certplane/domain/model";
import { secretAnnotations } from "@certplane/domain/model";
import { keyIdentifier, parseCertificate } from "@certplane/pki";

function leafFacts(pem: string | undefined): SecretFacts["certificate"] {
  if (pem === undefined) return undefined;
  try {
    const leaf = parseCertificate(pem, "tls.crt");
    return {
      keyId: Buffer.from(keyIdentifier(leaf.publicKey)).toString("hex"),
      algorithm: leaf.key.algorithm,
      ...(leaf.key.algorithm === "Ed25519" ? {} : { size: leaf.key.size }),
      notAfter: leaf.notAfter.toISOString(),
    };
  } catch {
    return undefined;
  }
}

/** Undefined when the secret is gone, or is a next-private-key secret (never a certificate's output). */
export function evolveSecretFacts(
  _state: SecretFacts | undefined,
  event: SecretEvent,
): SecretFacts | undefined {
  if (event.type === "SecretDeleted" || event.data.owner.kind === "NextPrivateKey") return undefined;
  const { data, sealedData } = event.data;
  const annotations = event.data.annotations ?? {};
  const certificate = leafFacts(data["tls.crt"]);
  const privateKeyId = annotations[secretAnnotations.privateKeyId];
  return {
    hasCertificate: data["tls.crt"] !== undefined && data["tls.crt"] !== "",
    hasPrivateKey: sealedData["tls.key"] !== undefined,
    ...(certificate ? { certificate } : {}),
    certificateDecodes: certificate !== undefined,
    ...(privateKeyId === undefined ? {} : { privateKeyId }),
    annotations,
  };
}
