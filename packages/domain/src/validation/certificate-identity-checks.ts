// Who the certificate is for: subject, SANs and where its Secret goes (model §1.1).
import type { Certificate, CertificateSpec } from "../resources/certificate.ts";
import { emailAddressProblem } from "./email.ts";
import { parseLiteralSubject } from "./literal-subject.ts";
import { dns1123SubdomainProblems } from "./names.ts";
import { isIpAddress } from "./network.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const COMMON_NAME_MAX_BYTES = 64;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** The CN a certificate will carry: the field, or the last CN attribute of literalSubject. */
function effectiveCommonName(spec: CertificateSpec): { value: string; field: string } {
  if (spec.literalSubject === undefined || spec.literalSubject === "") {
    return { value: spec.commonName ?? "", field: "spec.commonName" };
  }
  const reading = parseLiteralSubject(spec.literalSubject);
  const cn = reading.ok ? reading.attributes.filter((a) => a.type === "CN").at(-1)?.value : undefined;
  return { value: cn ?? "", field: "spec.literalSubject" };
}

function hasSubjectFields(spec: CertificateSpec): boolean {
  const subject = spec.subject;
  if (subject === undefined) return false;
  return Object.values(subject).some((value) => (Array.isArray(value) ? value.length > 0 : Boolean(value)));
}

export const certificateSecretNameChecks: readonly PolicyCheck<Certificate>[] = [
  {
    name: "secretNameMissing",
    check: ({ spec }) =>
      spec.secretName === "" ? [{ field: "spec.secretName", message: "must be specified" }] : [],
  },
  {
    name: "secretNameNotDns1123Subdomain",
    check: ({ spec }) =>
      spec.secretName === ""
        ? []
        : dns1123SubdomainProblems(spec.secretName).map((message) => ({ field: "spec.secretName", message })),
  },
];

export const certificateIdentityChecks: readonly PolicyCheck<Certificate>[] = [
  {
    name: "literalSubjectWithCommonName",
    check: ({ spec }) =>
      spec.literalSubject && spec.commonName
        ? [
            {
              field: "spec.commonName",
              message: "When providing a `LiteralSubject` no `commonName` may be provided.",
            },
          ]
        : [],
  },
  {
    name: "literalSubjectWithSubject",
    check: ({ spec }) =>
      spec.literalSubject && hasSubjectFields(spec)
        ? [
            {
              field: "spec.subject",
              message: "When providing a `LiteralSubject` no `Subject` properties may be provided.",
            },
          ]
        : [],
  },
  {
    name: "literalSubjectUnparsable",
    check: ({ spec }) => {
      if (!spec.literalSubject) return [];
      const reading = parseLiteralSubject(spec.literalSubject);
      return reading.ok ? [] : [{ field: "spec.literalSubject", message: reading.message }];
    },
  },
  {
    name: "identityMissing",
    check: ({ spec }) => {
      const any = (list: readonly unknown[] | undefined) => (list?.length ?? 0) > 0;
      const hasIdentity =
        effectiveCommonName(spec).value !== "" ||
        any(spec.dnsNames) ||
        any(spec.uris) ||
        any(spec.emailAddresses) ||
        any(spec.ipAddresses) ||
        any(spec.otherNames);
      return hasIdentity
        ? []
        : [
            {
              field: "spec",
              message:
                "at least one of commonName (from the commonName field or from a literalSubject), dnsNames, " +
                "uriSANs, ipAddresses, emailSANs or otherNames must be set",
            },
          ];
    },
  },
  {
    name: "commonNameTooLong",
    check: ({ spec }) => {
      const { value, field } = effectiveCommonName(spec);
      return utf8Length(value) > COMMON_NAME_MAX_BYTES
        ? [{ field, message: `may not be more than ${COMMON_NAME_MAX_BYTES} bytes` }]
        : [];
    },
  },
  {
    name: "ipAddressInvalid",
    check: ({ spec }) =>
      (spec.ipAddresses ?? []).flatMap((ip, i) =>
        isIpAddress(ip) ? [] : [{ field: `spec.ipAddresses[${i}]`, message: "invalid IP address" }],
      ),
  },
  {
    name: "emailAddressInvalid",
    check: ({ spec }) =>
      (spec.emailAddresses ?? []).flatMap((email, i) => {
        const message = emailAddressProblem(email);
        return message === undefined ? [] : [{ field: `spec.emailAddresses[${i}]`, message }];
      }),
  },
  {
    name: "otherNameInvalid",
    check: ({ spec }) =>
      (spec.otherNames ?? []).flatMap((otherName, i): Violation[] => {
        const path = `spec.otherNames[${i}]`;
        const problems: Violation[] = [];
        if (!otherName.oid) problems.push({ field: `${path}.oid`, message: "must be specified" });
        else if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(otherName.oid)) {
          problems.push({ field: `${path}.oid`, message: "oid syntax invalid" });
        }
        if (!otherName.utf8Value) {
          problems.push({
            field: `${path}.utf8Value`,
            message: "must be set to a valid non-empty UTF8 string",
          });
        }
        return problems;
      }),
  },
];
