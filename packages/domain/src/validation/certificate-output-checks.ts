// What gets written and kept: Secret template, keystores, output formats, history, CA constraints.
import type { Certificate, NameConstraintItems } from "../resources/certificate.ts";
import {
  annotationsSize,
  labelValueProblems,
  qualifiedNameProblems,
  TOTAL_ANNOTATION_SIZE_LIMIT_BYTES,
} from "./label-syntax.ts";
import { isCidr } from "./network.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

const RESERVED_ANNOTATION_PREFIX = "cert-manager.io/";
const ALLOWED_RESERVED_ANNOTATIONS = new Set(["cert-manager.io/allow-direct-injection"]);

function invalidIpRanges(items: NameConstraintItems | undefined, path: string): Violation[] {
  return (items?.ipRanges ?? []).flatMap((range, i) =>
    isCidr(range)
      ? []
      : [{ field: `${path}.ipRanges[${i}]`, message: "must be a valid CIDR, e.g. 10.0.0.0/8" }],
  );
}

export const certificateOutputChecks: readonly PolicyCheck<Certificate>[] = [
  {
    name: "revisionHistoryLimitBelowOne",
    check: ({ spec }) =>
      spec.revisionHistoryLimit !== undefined && spec.revisionHistoryLimit < 1
        ? [{ field: "spec.revisionHistoryLimit", message: "must not be less than 1" }]
        : [],
  },
  {
    name: "secretTemplateAnnotationReserved",
    check: ({ spec }) =>
      Object.keys(spec.secretTemplate?.annotations ?? {})
        .filter((key) => key.startsWith(RESERVED_ANNOTATION_PREFIX) && !ALLOWED_RESERVED_ANNOTATIONS.has(key))
        .map((key) => ({
          field: `spec.secretTemplate.annotations[${key}]`,
          message: "cert-manager.io/* annotations are not allowed",
        })),
  },
  {
    // The template is copied onto the Secret, so Kubernetes' own label rules apply to it.
    name: "secretTemplateLabelInvalid",
    check: ({ spec }) =>
      Object.entries(spec.secretTemplate?.labels ?? {}).flatMap(([key, value]) => {
        const field = `spec.secretTemplate.labels[${key}]`;
        return [...qualifiedNameProblems(key), ...labelValueProblems(value)].map((message) => ({
          field,
          message,
        }));
      }),
  },
  {
    // Kubernetes' ValidateAnnotations lowercases the key first: annotation keys are case-insensitive.
    name: "secretTemplateAnnotationKeyInvalid",
    check: ({ spec }) =>
      Object.keys(spec.secretTemplate?.annotations ?? {}).flatMap((key) =>
        qualifiedNameProblems(key.toLowerCase()).map((message) => ({
          field: `spec.secretTemplate.annotations[${key}]`,
          message,
        })),
      ),
  },
  {
    name: "secretTemplateAnnotationsTooLong",
    check: ({ spec }) =>
      annotationsSize(spec.secretTemplate?.annotations ?? {}) > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES
        ? [
            {
              field: "spec.secretTemplate.annotations",
              message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes`,
            },
          ]
        : [],
  },
  {
    name: "keystorePasswordNotExactlyOne",
    check: ({ spec: { keystores } }) =>
      (["jks", "pkcs12"] as const).flatMap((type) => {
        const keystore = keystores?.[type];
        if (keystore === undefined) return [];
        const sources =
          Number(keystore.password !== undefined) + Number(Boolean(keystore.passwordSecretRef?.name));
        if (keystore.password === "") {
          return [{ field: `spec.keystores.${type}.password`, message: "must not be empty" }];
        }
        return sources === 1
          ? []
          : [
              {
                field: `spec.keystores.${type}`,
                message: "exactly one of password or passwordSecretRef.name must be set",
              },
            ];
      }),
  },
  {
    // cert-manager's API accepts Modern2026 (PBMAC1, RFC 9579), but certplane cannot write it yet,
    // and a keystore silently made with another profile would not be what was asked for.
    name: "pkcs12ProfileUnsupported",
    check: ({ spec }) =>
      spec.keystores?.pkcs12?.profile === "Modern2026"
        ? [
            {
              field: "spec.keystores.pkcs12.profile",
              message:
                'Unsupported value: "Modern2026": certplane does not write PBMAC1 keystores yet; supported values: "LegacyRC2", "LegacyDES", "Modern2023"',
            },
          ]
        : [],
  },
  {
    name: "additionalOutputFormatDuplicate",
    check: ({ spec }) =>
      (spec.additionalOutputFormats ?? []).flatMap((format, i, all) =>
        all.findIndex((other) => other.type === format.type) < i
          ? [
              {
                field: `spec.additionalOutputFormats[${i}].type`,
                message: `Duplicate value: "${format.type}"`,
              },
            ]
          : [],
      ),
  },
  {
    name: "nameConstraintsWithoutIsCA",
    check: ({ spec }) =>
      spec.nameConstraints !== undefined && spec.isCA !== true
        ? [{ field: "spec.nameConstraints", message: "isCA should be true when nameConstraints is set" }]
        : [],
  },
  {
    name: "nameConstraintsEmpty",
    check: ({ spec: { nameConstraints } }) =>
      nameConstraints !== undefined &&
      nameConstraints.permitted === undefined &&
      nameConstraints.excluded === undefined
        ? [{ field: "spec.nameConstraints", message: "either permitted or excluded must be set" }]
        : [],
  },
  {
    name: "nameConstraintIpRangeInvalid",
    check: ({ spec: { nameConstraints } }) => [
      ...invalidIpRanges(nameConstraints?.permitted, "spec.nameConstraints.permitted"),
      ...invalidIpRanges(nameConstraints?.excluded, "spec.nameConstraints.excluded"),
    ],
  },
];
