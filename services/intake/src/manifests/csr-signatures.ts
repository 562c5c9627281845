// cert-manager's webhook leaves a CSR's signature to the signer, so a request signed with the wrong
// key is recorded, approved and only then failed. certplane checks proof of possession at apply
// instead: such a request is refused at once, on its field, and nothing is recorded.
import type { FieldIssue } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { parseCsr, verifyCsrSignature } from "@certplane/pki";
import type { ValidDocument } from "./validate-documents.ts";

async function signatureIssue(request: string): Promise<FieldIssue | undefined> {
  const field = "spec.request";
  try {
    const csr = parseCsr(Buffer.from(request, "base64").toString("utf8"), field);
    if (await verifyCsrSignature(csr)) return undefined;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.issues[0];
  }
  return {
    field,
    rule: "csrSignature",
    message:
      "the CSR's signature does not verify with its own public key: sign it with the private key it names",
  };
}

/** Throws a ValidationError naming every CertificateRequest whose CSR is not signed by its own key. */
export async function refuseUnsignedRequests(documents: readonly ValidDocument[]): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const { resource, object } of documents) {
    if (resource.kind !== "CertificateRequest") continue;
    const issue = await signatureIssue(resource.spec.request);
    if (issue !== undefined) issues.push({ ...issue, object });
  }
  if (issues.length > 0) throw new ValidationError(issues);
}
