// spec.allowed: what a request may contain. As in approver-policy, a field the policy leaves out
// allows nothing, so a request carrying it is denied; `required: true` also denies its absence.
import type { AllowedString, AllowedStrings } from "./certificate-request-policy.ts";
import { invalid, type PolicyRule, type PolicyViolation, required } from "./policy-rule.ts";
import type { RequestedSubject } from "./requested-certificate.ts";
import { unmatched, wildcardMatches } from "./wildcard.ts";

function checkStrings(
  field: string,
  values: readonly string[],
  allowed: AllowedStrings | undefined,
): PolicyViolation[] {
  if (values.length === 0) return allowed?.required ? [required(field)] : [];
  if (allowed?.values === undefined) return [invalid(`${field}.values`, values, "nil")];
  const refused = unmatched(allowed.values, values);
  return refused.length === 0 ? [] : [invalid(`${field}.values`, refused, allowed.values.join(", "))];
}

function checkString(
  field: string,
  value: string | undefined,
  allowed: AllowedString | undefined,
): PolicyViolation[] {
  if (value === undefined || value === "") return allowed?.required ? [required(field)] : [];
  if (allowed?.value === undefined) return [invalid(`${field}.value`, value, "nil")];
  return wildcardMatches(allowed.value, value) ? [] : [invalid(`${field}.value`, value, allowed.value)];
}

type SanField = "dnsNames" | "ipAddresses" | "uris" | "emailAddresses";
type SubjectListField = Exclude<keyof RequestedSubject, "serialNumber">;

function sanRule(field: SanField): PolicyRule {
  return {
    name: `${field}NotAllowed`,
    check: ({ allowed }, request) => checkStrings(`spec.allowed.${field}`, request[field], allowed[field]),
  };
}

function subjectRule(field: SubjectListField): PolicyRule {
  return {
    name: `subject${field.charAt(0).toUpperCase()}${field.slice(1)}NotAllowed`,
    check: ({ allowed }, request) =>
      checkStrings(`spec.allowed.subject.${field}`, request.subject[field], allowed.subject?.[field]),
  };
}

const commonNameNotAllowed: PolicyRule = {
  name: "commonNameNotAllowed",
  check: ({ allowed }, request) =>
    checkString("spec.allowed.commonName", request.commonName, allowed.commonName),
};

const subjectSerialNumberNotAllowed: PolicyRule = {
  name: "subjectSerialNumberNotAllowed",
  check: ({ allowed }, request) =>
    checkString(
      "spec.allowed.subject.serialNumber",
      request.subject.serialNumber,
      allowed.subject?.serialNumber,
    ),
};

const isCANotAllowed: PolicyRule = {
  name: "isCANotAllowed",
  check: ({ allowed }, request) =>
    request.isCA && allowed.isCA !== true
      ? [invalid("spec.allowed.isCA", true, String(allowed.isCA ?? false))]
      : [],
};

const usagesNotAllowed: PolicyRule = {
  name: "usagesNotAllowed",
  check: ({ allowed }, request) => {
    const refused = request.usages.filter((usage) => !(allowed.usages ?? []).includes(usage));
    return refused.length === 0
      ? []
      : [invalid("spec.allowed.usages", refused, allowed.usages?.join(", ") || "nil")];
  },
};

export const allowedRules: readonly PolicyRule[] = [
  commonNameNotAllowed,
  sanRule("dnsNames"),
  sanRule("ipAddresses"),
  sanRule("uris"),
  sanRule("emailAddresses"),
  isCANotAllowed,
  usagesNotAllowed,
  subjectRule("organizations"),
  subjectRule("countries"),
  subjectRule("organizationalUnits"),
  subjectRule("localities"),
  subjectRule("provinces"),
  subjectRule("streetAddresses"),
  subjectRule("postalCodes"),
  subjectSerialNumberNotAllowed,
];
