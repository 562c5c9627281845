// CertificateRequest webhook rules (model §2.1): the CSR must be a PEM request, and what it asks for
// (BasicConstraints, KeyUsage, ExtKeyUsage) must agree with spec.isCA and spec.usages, as cert-manager's
// validateCertificateRequestSpecRequest checks with CertificateTemplateValidateAndOverride….
// Its signature is the signer's to verify (@certplane/pki); the domain reads no crypto.
import type { CertificateRequest } from "../resources/certificate-request.ts";
import { MAX_SUBJECT_ALTERNATIVE_NAMES } from "./certificate-identity-checks.ts";
import { controlCharacterProblem } from "./control-characters.ts";
import { type CsrContents, readCsrContents } from "./csr-contents.ts";
import { decodeBase64 } from "./der.ts";
import { issuerRefChecks } from "./issuer-ref-checks.ts";
import { usageUnknownCheck } from "./key-usage-checks.ts";
import {
  type EncodedKeyUsages,
  EXT_KEY_USAGE_OID,
  encodeKeyUsages,
  extKeyUsageNames,
  keyUsageNames,
} from "./key-usage-encoding.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const APPROVAL_TYPES = ["Approved", "Denied"] as const;

const conditionsOf = (status: CertificateRequest["status"], type: string) =>
  (status?.conditions ?? []).filter((condition) => condition.type === type);

const CSR_BLOCK =
  /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;

function requestPem(request: string): string | undefined {
  const bytes = decodeBase64(request);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

interface Requested {
  readonly csr: CsrContents;
  readonly expected: EncodedKeyUsages;
  readonly isCA: boolean;
}

/**
 * A rule comparing the CSR with the spec. A request whose DER cannot be read is left alone here:
 * requestNotPemCsr judges the armour and the signer the DER.
 */
function onRequested(
  name: string,
  rule: (requested: Requested) => Violation[],
): PolicyCheck<CertificateRequest> {
  return {
    name,
    check: ({ spec }) => {
      const pem = requestPem(spec.request);
      const csr = pem === undefined ? undefined : readCsrContents(pem, Object.values(EXT_KEY_USAGE_OID));
      if (csr === undefined) return [];
      const isCA = spec.isCA ?? false;
      return rule({ csr, expected: encodeKeyUsages(spec.usages ?? [], isCA), isCA });
    },
  };
}

/** Go's printKeyUsage: `[ 'digital signature', 'key encipherment' ]`, `[]` when empty. */
const printUsages = (names: readonly string[]) =>
  names.length === 0 ? "[]" : `[ ${names.map((n) => `'${n}'`).join(", ")} ]`;

const encodedCsrError = (message: string): Violation[] => [
  { field: "spec.request", message: `encoded CSR error: ${message}` },
];

/** Either usage extension in the CSR means both are compared (an absent one as empty). */
const hasUsageExtension = ({ csr }: Requested) =>
  csr.keyUsage !== undefined || csr.extKeyUsages !== undefined;

export const certificateRequestChecks: readonly PolicyCheck<CertificateRequest>[] = [
  {
    name: "requestNotPemCsr",
    check: ({ spec }) => {
      if (spec.request === "") return [{ field: "spec.request", message: "must be specified" }];
      const pem = requestPem(spec.request);
      if (pem === undefined || !CSR_BLOCK.test(pem)) {
        return [
          {
            field: "spec.request",
            message: "failed to decode csr: error decoding certificate request PEM block",
          },
        ];
      }
      // The armour is right but what it holds is not a PKCS#10 request: cert-manager's x509 parse fails here too.
      return readCsrContents(pem, Object.values(EXT_KEY_USAGE_OID)) === undefined
        ? [
            {
              field: "spec.request",
              message:
                "failed to decode csr: the PEM block does not hold a DER-encoded PKCS#10 certificate request",
            },
          ]
        : [];
    },
  },
  ...issuerRefChecks,
  usageUnknownCheck("unknown key usages"),
  onRequested("csrIsCAMismatch", ({ csr, isCA }) =>
    csr.isCA !== undefined && csr.isCA !== isCA
      ? encodedCsrError(`IsCA ${csr.isCA} does not match expected value ${isCA}`)
      : [],
  ),
  onRequested("csrKeyUsagesMismatch", (requested) => {
    const { csr, expected } = requested;
    const requestedBits = csr.keyUsage ?? 0;
    return hasUsageExtension(requested) && requestedBits !== expected.keyUsage
      ? encodedCsrError(
          `the KeyUsages ${printUsages(keyUsageNames(requestedBits))} do not match the expected KeyUsages ` +
            printUsages(keyUsageNames(expected.keyUsage)),
        )
      : [];
  }),
  onRequested("csrExtKeyUsagesMismatch", (requested) => {
    const { csr, expected } = requested;
    const requestedOids = csr.extKeyUsages ?? [];
    return hasUsageExtension(requested) && requestedOids.join() !== expected.extKeyUsages.join()
      ? encodedCsrError(
          `the ExtKeyUsages ${printUsages(extKeyUsageNames(requestedOids))} do not match the expected ` +
            `ExtKeyUsages ${printUsages(extKeyUsageNames(expected.extKeyUsages))}`,
        )
      : [];
  }),
  // A client's own CSR goes straight to the signer, so the names it carries get the same hostile-input
  // rules as a Certificate's spec (identityControlCharacter, subjectAlternativeNamesTooMany).
  onRequested("csrNameControlCharacter", ({ csr }) =>
    [...csr.subjectValues, ...csr.subjectAltNames].flatMap(({ where, value }) => {
      const problem = controlCharacterProblem(value);
      return problem === undefined
        ? []
        : [{ field: "spec.request", message: `the CSR's ${where} ${problem}` }];
    }),
  ),
  onRequested("csrSubjectAlternativeNamesTooMany", ({ csr }) =>
    csr.subjectAltNameCount > MAX_SUBJECT_ALTERNATIVE_NAMES
      ? [
          {
            field: "spec.request",
            message:
              `the CSR names ${csr.subjectAltNameCount} subject alternative names; at most ` +
              `${MAX_SUBJECT_ALTERNATIVE_NAMES} are allowed: split them over several requests`,
          },
        ]
      : [],
  ),
  // Approval is a one-way decision recorded once (model §2.3), so a request arrives with at most
  // one Approved or Denied condition, set True, and never both.
  {
    name: "approvalConditionDuplicate",
    check: ({ status }) =>
      APPROVAL_TYPES.filter((type) => conditionsOf(status, type).length > 1).map((type) => ({
        field: "status.conditions",
        message: `multiple "${type}" conditions present`,
      })),
  },
  {
    name: "approvalConditionNotTrue",
    check: ({ status }) =>
      APPROVAL_TYPES.flatMap((type) => {
        const found = conditionsOf(status, type);
        return found.length === 1 && found[0]?.status !== "True"
          ? [{ field: `status.conditions.${type}`, message: `"${type}" condition may only be set to True` }]
          : [];
      }),
  },
  {
    name: "approvedAndDenied",
    check: ({ status }) =>
      APPROVAL_TYPES.every((type) => conditionsOf(status, type).length > 0)
        ? [{ field: "status.conditions", message: "both 'Denied' and 'Approved' conditions cannot coexist" }]
        : [],
  },
];
