// Who the certificate is for: subject, SANs and where its Secret goes (model §1.1).
import type { Certificate, CertificateSpec } from "../resources/certificate.ts";
import { controlCharacterProblem } from "./control-characters.ts";
import { emailAddressProblem } from "./email.ts";
import { parseLiteralSubject } from "./literal-subject.ts";
import { dns1123SubdomainProblems } from "./names.ts";
import { isIpAddress } from "./network.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const COMMON_NAME_MAX_BYTES = 64;
// Let's Encrypt's limit per certificate, and far above what a TLS client wants to scan; every SAN
// is also one more string in each event, Secret and certificate, so an unbounded list is an attack.
export const MAX_SUBJECT_ALTERNATIVE_NAMES = 100;
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

/** Every name the certificate will carry, with its field path, for the rules that apply to all of them. */
function identityValues(spec: CertificateSpec): { field: string; value: string }[] {
  const list = (field: string, values: readonly string[] | undefined) =>
    (values ?? []).map((value, i) => ({ field: `${field}[${i}]`, value }));
  const { subject } = spec;
  return [
    ...(spec.commonName === undefined ? [] : [{ field: "spec.commonName", value: spec.commonName }]),
    ...literalSubjectValues(spec.literalSubject),
    ...list("spec.subject.organizations", subject?.organizations),
    ...list("spec.subject.countries", subject?.countries),
    ...list("spec.subject.organizationalUnits", subject?.organizationalUnits),
    ...list("spec.subject.localities", subject?.localities),
    ...list("spec.subject.provinces", subject?.provinces),
    ...list("spec.subject.streetAddresses", subject?.streetAddresses),
    ...list("spec.subject.postalCodes", subject?.postalCodes),
    ...(subject?.serialNumber === undefined
      ? []
      : [{ field: "spec.subject.serialNumber", value: subject.serialNumber }]),
    ...list("spec.dnsNames", spec.dnsNames),
    ...list("spec.uris", spec.uris),
    ...list("spec.emailAddresses", spec.emailAddresses),
    ...(spec.otherNames ?? []).flatMap((otherName, i) =>
      otherName.utf8Value === undefined
        ? []
        : [{ field: `spec.otherNames[${i}].utf8Value`, value: otherName.utf8Value }],
    ),
  ];
}

/** The raw string, and its values once escapes are resolved (`CN=a\00b` spells a NUL byte). */
function literalSubjectValues(literalSubject: string | undefined): { field: string; value: string }[] {
  if (!literalSubject) return [];
  const reading = parseLiteralSubject(literalSubject);
  const values = reading.ok ? reading.attributes.map((a) => a.value) : [];
  return [literalSubject, ...values].map((value) => ({ field: "spec.literalSubject", value }));
}

const sanCount = (spec: CertificateSpec) =>
  [spec.dnsNames, spec.ipAddresses, spec.uris, spec.emailAddresses, spec.otherNames].reduce(
    (sum, list) => sum + (list?.length ?? 0),
    0,
  );

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
    name: "identityControlCharacter",
    check: ({ spec }) => {
      const seen = new Set<string>();
      return identityValues(spec).flatMap(({ field, value }) => {
        const message = controlCharacterProblem(value);
        if (message === undefined || seen.has(field)) return [];
        seen.add(field);
        return [{ field, message }];
      });
    },
  },
  {
    name: "subjectAlternativeNamesTooMany",
    check: ({ spec }) => {
      const count = sanCount(spec);
      return count > MAX_SUBJECT_ALTERNATIVE_NAMES
        ? [
            {
              field: "spec",
              message:
                `names ${count} subject alternative names (dnsNames, ipAddresses, uris, emailAddresses and ` +
                `otherNames together); at most ${MAX_SUBJECT_ALTERNATIVE_NAMES} are allowed: split them over several Certificates`,
            },
          ]
        : [];
    },
  },
  {
    name: "dnsNameNotAscii",
    // A dNSName is an IA5String (RFC 5280 §4.2.1.6); internationalised names go in as A-labels (§7.2).
    check: ({ spec }) =>
      (spec.dnsNames ?? []).flatMap((name, i) =>
        /^[\x20-\x7e]*$/.test(name) || controlCharacterProblem(name) !== undefined
          ? []
          : [
              {
                field: `spec.dnsNames[${i}]`,
                message: "must be ASCII: write an internationalised name as its A-label (xn--…)",
              },
            ],
      ),
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
        // identityControlCharacter reports those; the addr-spec grammar would let a quoted NUL through.
        if (controlCharacterProblem(email) !== undefined) return [];
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
