// Who may do what through the API: Kubernetes RBAC's shape (roles of verbs × resources, bound to
// identities in some namespaces or cluster-wide), because that is what cert-manager's users already
// reason in and what cert-manager leans on for the same protection. Pure: the transports name the
// caller, intake asks here before it reads or writes anything.
import { z } from "zod";
import { ValidationError } from "../errors.ts";
import { fieldIssuesFromZod } from "../validation/zod-issues.ts";

/**
 * The verbs a rule may grant; `*` grants all. `renew` and `rebuild` are certplane's own; `approve`
 * (approve or deny a CertificateRequest) is cert-manager's: there it is a verb of its own on
 * `signers`, apart from `update`, so whoever may edit requests is not thereby their approver.
 */
export const accessVerbs = [
  "get",
  "list",
  "watch",
  "create",
  "update",
  "delete",
  "renew",
  "rebuild",
  "approve",
] as const;
export type AccessVerb = (typeof accessVerbs)[number];

/**
 * Resources by their plural name, as RBAC and `kubectl auth can-i` spell them, and whether they
 * live in a namespace. `readmodels` is intake's read side, which `admin rebuild` replaces.
 */
export const accessResources = {
  certificates: { kind: "Certificate", namespaced: true },
  certificaterequests: { kind: "CertificateRequest", namespaced: true },
  issuers: { kind: "Issuer", namespaced: true },
  clusterissuers: { kind: "ClusterIssuer", namespaced: false },
  secrets: { kind: "Secret", namespaced: true },
  orders: { kind: "Order", namespaced: true },
  challenges: { kind: "Challenge", namespaced: true },
  ingresses: { kind: "Ingress", namespaced: true },
  namespaces: { kind: "Namespace", namespaced: false },
  secrettargets: { kind: "SecretTarget", namespaced: false },
  readmodels: { kind: "ReadModel", namespaced: false },
} as const;
export type AccessResource = keyof typeof accessResources;

const resourceNames = Object.keys(accessResources) as AccessResource[];

/** `certificates`, `certificates.cert-manager.io`, `Certificate` or `certificate` → `certificates`. */
export function parseAccessResource(text: string): AccessResource | undefined {
  const lower = text.toLowerCase();
  const plural = lower.includes(".") ? lower.slice(0, lower.indexOf(".")) : lower;
  if ((resourceNames as string[]).includes(plural)) return plural as AccessResource;
  return resourceNames.find((name) => accessResources[name].kind.toLowerCase() === plural);
}

const identityPattern = /^(x509|dns|uri|local|nats|token):\S/;

const policySchema = z.strictObject({
  apiVersion: z.literal("certplane.io/v1alpha1"),
  kind: z.literal("AccessPolicy"),
  roles: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        rules: z
          .array(
            z.strictObject({
              verbs: z.array(z.enum([...accessVerbs, "*"])).min(1),
              resources: z.array(z.enum(["*", ...resourceNames])).min(1),
            }),
          )
          .min(1),
      }),
    )
    .default([]),
  bindings: z
    .array(
      z.strictObject({
        role: z.string().min(1),
        /** Absent: the role holds cluster-wide, in every namespace and for cluster-scoped resources. */
        namespaces: z
          .array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/))
          .min(1)
          .optional(),
        subjects: z
          .array(
            z
              .string()
              .regex(
                identityPattern,
                "must be an identity like x509:CN=alice,O=Team A, dns:NAME, uri:spiffe://…, local:USER, nats:USER or token:NAME",
              ),
          )
          .min(1),
      }),
    )
    .default([]),
});

export type AccessPolicyDocument = z.infer<typeof policySchema>;

interface Rule {
  readonly verbs: ReadonlySet<string>;
  readonly resources: ReadonlySet<string>;
}

interface Binding {
  readonly role: string;
  readonly rules: readonly Rule[];
  readonly namespaces?: ReadonlySet<string>;
  readonly subjects: ReadonlySet<string>;
}

export interface AccessPolicy {
  readonly bindings: readonly Binding[];
}

/** Validates a policy document; refusals name the field (`bindings[0].role`) and the rule. */
export function parseAccessPolicy(document: unknown): AccessPolicy {
  const parsed = policySchema.safeParse(document);
  if (!parsed.success) throw new ValidationError(fieldIssuesFromZod(parsed.error, document));
  const roles = new Map<string, Rule[]>();
  parsed.data.roles.forEach((role, index) => {
    if (roles.has(role.name)) {
      throw ValidationError.of(`roles[${index}].name`, "unique", `role "${role.name}" is defined twice`);
    }
    roles.set(
      role.name,
      role.rules.map((rule) => ({ verbs: new Set(rule.verbs), resources: new Set(rule.resources) })),
    );
  });
  const bindings = parsed.data.bindings.map((binding, index): Binding => {
    const rules = roles.get(binding.role);
    if (rules === undefined) {
      throw ValidationError.of(
        `bindings[${index}].role`,
        "roleExists",
        `no role named "${binding.role}"; the roles are: ${[...roles.keys()].join(", ") || "none"}`,
      );
    }
    return {
      role: binding.role,
      rules,
      subjects: new Set(binding.subjects),
      ...(binding.namespaces === undefined ? {} : { namespaces: new Set(binding.namespaces) }),
    };
  });
  return { bindings };
}

/** One thing a caller tries: a verb on a resource, in a namespace for namespaced resources. */
export interface AccessAttempt {
  readonly verb: AccessVerb;
  readonly resource: AccessResource;
  /** Absent for a namespaced resource: in every namespace (`get -A`), which takes a cluster-wide role. */
  readonly namespace?: string;
}

export type AccessDecision =
  | { readonly allowed: true; readonly role: string }
  | { readonly allowed: false; readonly reason: string };

function grants(rules: readonly Rule[], attempt: AccessAttempt): boolean {
  return rules.some(
    (rule) =>
      (rule.verbs.has("*") || rule.verbs.has(attempt.verb)) &&
      (rule.resources.has("*") || rule.resources.has(attempt.resource)),
  );
}

function covers(binding: Binding, attempt: AccessAttempt): boolean {
  if (binding.namespaces === undefined) return true;
  return (
    accessResources[attempt.resource].namespaced &&
    attempt.namespace !== undefined &&
    binding.namespaces.has(attempt.namespace)
  );
}

/** Where an attempt applies, as kubectl's messages put it. */
export function describeScope(attempt: AccessAttempt): string {
  if (!accessResources[attempt.resource].namespaced) return "at the cluster scope";
  return attempt.namespace === undefined ? "in all namespaces" : `in the namespace "${attempt.namespace}"`;
}

/** Allowed when a binding naming one of the caller's identities covers the attempt with its role. */
export function decideAccess(
  policy: AccessPolicy,
  identities: readonly string[],
  attempt: AccessAttempt,
): AccessDecision {
  const bound = policy.bindings.filter((binding) => identities.some((id) => binding.subjects.has(id)));
  const granting = bound.find((binding) => covers(binding, attempt) && grants(binding.rules, attempt));
  if (granting !== undefined) return { allowed: true, role: granting.role };
  return {
    allowed: false,
    reason:
      bound.length === 0
        ? "no role is bound to it"
        : `its roles (${[...new Set(bound.map((b) => b.role))].join(", ")}) do not grant ${attempt.verb} on ${attempt.resource} ${describeScope(attempt)}`,
  };
}
