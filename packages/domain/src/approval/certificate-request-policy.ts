// approver-policy's CertificateRequestPolicy (policy.cert-manager.io/v1alpha1), with its field
// names, so a policy written for approver-policy reads here unchanged. What certplane does not
// evaluate (CEL `validations`, `selector.namespace.matchLabels`, plugins) is refused by name rather
// than ignored: a rule that silently allowed more than it says would be worse than no policy.
import { z } from "zod";
import { parseGoDuration } from "../duration.ts";
import { ValidationError } from "../errors.ts";
import { fieldIssuesFromZod } from "../validation/zod-issues.ts";

const allowedString = z.strictObject({ value: z.string().optional(), required: z.boolean().optional() });
const allowedStrings = z.strictObject({
  values: z.array(z.string()).optional(),
  required: z.boolean().optional(),
});

const policySchema = z.strictObject({
  apiVersion: z.literal("policy.cert-manager.io/v1alpha1"),
  kind: z.literal("CertificateRequestPolicy"),
  metadata: z.object({ name: z.string().min(1) }),
  spec: z.strictObject({
    allowed: z
      .strictObject({
        commonName: allowedString.optional(),
        dnsNames: allowedStrings.optional(),
        ipAddresses: allowedStrings.optional(),
        uris: allowedStrings.optional(),
        emailAddresses: allowedStrings.optional(),
        isCA: z.boolean().optional(),
        usages: z.array(z.string()).optional(),
        subject: z
          .strictObject({
            organizations: allowedStrings.optional(),
            countries: allowedStrings.optional(),
            organizationalUnits: allowedStrings.optional(),
            localities: allowedStrings.optional(),
            provinces: allowedStrings.optional(),
            streetAddresses: allowedStrings.optional(),
            postalCodes: allowedStrings.optional(),
            serialNumber: allowedString.optional(),
          })
          .optional(),
      })
      .optional(),
    constraints: z
      .strictObject({
        minDuration: z.string().optional(),
        maxDuration: z.string().optional(),
        privateKey: z
          .strictObject({
            algorithm: z.enum(["RSA", "ECDSA", "Ed25519"]).optional(),
            minSize: z.number().int().positive().optional(),
            maxSize: z.number().int().positive().optional(),
          })
          .optional(),
      })
      .optional(),
    selector: z.strictObject({
      issuerRef: z
        .strictObject({
          name: z.string().optional(),
          kind: z.string().optional(),
          group: z.string().optional(),
        })
        .optional(),
      namespace: z.strictObject({ matchNames: z.array(z.string()).min(1) }).optional(),
    }),
  }),
});

type PolicyDocument = z.infer<typeof policySchema>;
type Spec = PolicyDocument["spec"];

export type AllowedString = NonNullable<NonNullable<Spec["allowed"]>["commonName"]>;
export type AllowedStrings = NonNullable<NonNullable<Spec["allowed"]>["dnsNames"]>;
export type PolicyAllowed = NonNullable<Spec["allowed"]>;
export type PolicySelector = Spec["selector"];

export interface PolicyConstraints {
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  /** Kept as written, for messages in the policy's own spelling (`24h`). */
  readonly minDuration?: string;
  readonly maxDuration?: string;
  readonly privateKey?: NonNullable<NonNullable<Spec["constraints"]>["privateKey"]>;
}

export interface CertificateRequestPolicy {
  readonly name: string;
  readonly selector: PolicySelector;
  /** Absent: approver-policy's reading, nothing may be requested but what `allowed` lists. */
  readonly allowed: PolicyAllowed;
  readonly constraints: PolicyConstraints;
}

function durationAt(text: string | undefined, field: string): number | undefined {
  return text === undefined ? undefined : parseGoDuration(text, { field });
}

/** Validates one policy document; refusals name the field (`spec.allowed.dnsNames.values`) and the rule. */
export function parseCertificateRequestPolicy(document: unknown): CertificateRequestPolicy {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) throw new ValidationError(fieldIssuesFromZod(parsed.error, document));
  const { metadata, spec } = parsed.data;
  if (spec.selector.issuerRef === undefined && spec.selector.namespace === undefined) {
    throw ValidationError.of(
      "spec.selector",
      "required",
      "one of issuerRef or namespace must be defined; issuerRef: {} selects every issuer",
    );
  }
  const { minDuration, maxDuration, privateKey } = spec.constraints ?? {};
  const minDurationMs = durationAt(minDuration, "spec.constraints.minDuration");
  const maxDurationMs = durationAt(maxDuration, "spec.constraints.maxDuration");
  if (minDurationMs !== undefined && maxDurationMs !== undefined && minDurationMs > maxDurationMs) {
    throw ValidationError.of(
      "spec.constraints.minDuration",
      "notAboveMaxDuration",
      `minDuration ${minDuration} is longer than maxDuration ${maxDuration}`,
    );
  }
  if (
    privateKey?.minSize !== undefined &&
    privateKey.maxSize !== undefined &&
    privateKey.minSize > privateKey.maxSize
  ) {
    throw ValidationError.of(
      "spec.constraints.privateKey.minSize",
      "notAboveMaxSize",
      `minSize ${privateKey.minSize} is larger than maxSize ${privateKey.maxSize}`,
    );
  }
  return {
    name: metadata.name,
    selector: spec.selector,
    allowed: spec.allowed ?? {},
    constraints: {
      ...(minDuration === undefined ? {} : { minDuration, minDurationMs }),
      ...(maxDuration === undefined ? {} : { maxDuration, maxDurationMs }),
      ...(privateKey === undefined ? {} : { privateKey }),
    },
  };
}
