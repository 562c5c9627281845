/** Who created a secret, so certplane never overwrites one it did not create. */
export type SecretOwner =
  | { readonly kind: "Certificate"; readonly name: string; readonly uid: string }
  | { readonly kind: "NextPrivateKey"; readonly certificateName: string; readonly certificateUid: string }
  | { readonly kind: "User"; readonly actor: string }
  /** An ACME account key certplane generated for an issuer (`issuer` is the issuer's stream). */
  | { readonly kind: "AcmeAccount"; readonly issuer: string };

export function sameOwner(a: SecretOwner, b: SecretOwner): boolean {
  if (a.kind === "Certificate" && b.kind === "Certificate") return a.name === b.name && a.uid === b.uid;
  if (a.kind === "NextPrivateKey" && b.kind === "NextPrivateKey") {
    return a.certificateName === b.certificateName && a.certificateUid === b.certificateUid;
  }
  if (a.kind === "AcmeAccount" && b.kind === "AcmeAccount") return a.issuer === b.issuer;
  return a.kind === "User" && b.kind === "User";
}

export function describeOwner(owner: SecretOwner): string {
  switch (owner.kind) {
    case "Certificate":
      return `Certificate ${owner.name}`;
    case "NextPrivateKey":
      return `the next private key of Certificate ${owner.certificateName}`;
    case "User":
      return `${owner.actor} (imported)`;
    case "AcmeAccount":
      return `the ACME account of ${owner.issuer}`;
  }
}
