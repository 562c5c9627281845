import { ValidationError } from "@certplane/domain";
import type { ApprovalConfig } from "./approval/approval-policy.ts";

export interface IntakeConfig {
  readonly approval: ApprovalConfig;
}

function list(value: string | undefined): readonly string[] {
  return Object.freeze(
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string, fallback: boolean): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === "") return fallback;
  if (value === "true") return true;
  if (value === "false") return false;
  throw ValidationError.of(name, "boolean", `must be "true" or "false"`);
}

/**
 * CERTPLANE_APPROVAL_AUTO_APPROVE (default true; false leaves requests to an external approver),
 * CERTPLANE_APPROVAL_DENY_ISSUERS (comma list of `name` or `Kind/name`),
 * CERTPLANE_APPROVAL_DENY_NAMESPACES (comma list).
 */
export function parseIntakeConfig(env: Readonly<Record<string, string | undefined>>): IntakeConfig {
  return Object.freeze({
    approval: Object.freeze({
      autoApprove: flag(env, "CERTPLANE_APPROVAL_AUTO_APPROVE", true),
      denyIssuers: list(env.CERTPLANE_APPROVAL_DENY_ISSUERS),
      denyNamespaces: list(env.CERTPLANE_APPROVAL_DENY_NAMESPACES),
    }),
  });
}
