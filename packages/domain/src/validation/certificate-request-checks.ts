// CertificateRequest webhook rules (model §2.1). Decoding and verifying the CSR itself, and
// comparing its extensions with spec.usages/isCA, is the pki package's job; here only the armour.
import type { CertificateRequest } from "../resources/certificate-request.ts";
import { issuerRefChecks } from "./issuer-ref-checks.ts";
import { usageUnknownCheck } from "./key-usage-checks.ts";
import type { PolicyCheck } from "./policy-check.ts";

const CSR_BLOCK =
  /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

function decodeBase64(text: string): string | undefined {
  try {
    return atob(text);
  } catch {
    return undefined;
  }
}

export const certificateRequestChecks: readonly PolicyCheck<CertificateRequest>[] = [
  {
    name: "requestNotPemCsr",
    check: ({ spec }) => {
      if (spec.request === "") return [{ field: "spec.request", message: "must be specified" }];
      const pem = decodeBase64(spec.request);
      return pem !== undefined && CSR_BLOCK.test(pem)
        ? []
        : [
            {
              field: "spec.request",
              message: "failed to decode csr: error decoding certificate request PEM block",
            },
          ];
    },
  },
  ...issuerRefChecks,
  usageUnknownCheck("unknown key usages"),
];
