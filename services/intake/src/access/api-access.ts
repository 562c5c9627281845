// Access control on every API operation: the transports say who is calling, the access policy (pure,
// in the domain) says what they may do, and this asks it before an operation reads or writes.
import type { AccessReviewResponse, ApiCaller } from "@certplane/api";
import {
  type AccessAttempt,
  type AccessPolicy,
  decideAccess,
  describeScope,
  ForbiddenError,
} from "@certplane/domain";
import type { Logger } from "@certplane/runtime";

export interface ApiAccessOptions {
  /** Absent: no policy is configured and every caller may do everything, as before policies. */
  readonly policy?: AccessPolicy;
  /**
   * The API serves plaintext on loopback only, so a `local:` caller is someone on this host: the
   * local admin, as the embedded default's user is.
   */
  readonly localAdmin: boolean;
  readonly logger: Logger;
}

export interface ApiAccess {
  review(caller: ApiCaller | undefined, attempt: AccessAttempt): AccessReviewResponse;
  /** Throws a ForbiddenError naming the identity and the missing permission, and logs the denial. */
  require(caller: ApiCaller | undefined, attempt: AccessAttempt): void;
  /** Passes when any one of the attempts is allowed; a denial names the first. */
  requireAny(caller: ApiCaller | undefined, attempts: readonly AccessAttempt[]): void;
}

export function apiAccess(options: ApiAccessOptions): ApiAccess {
  const { policy, localAdmin, logger } = options;
  const review = (caller: ApiCaller | undefined, attempt: AccessAttempt): AccessReviewResponse => {
    // Intake's own calls (the dashboard, tests in process) carry no caller.
    if (caller === undefined) return { allowed: true, identity: "local:in-process", reason: "in process" };
    const identity = caller.actor;
    if (localAdmin && caller.identities.some((id) => id.startsWith("local:"))) {
      return { allowed: true, identity, reason: "local admin: plaintext API on loopback" };
    }
    if (policy === undefined) return { allowed: true, identity, reason: "no access policy is configured" };
    const decision = decideAccess(policy, caller.identities, attempt);
    return decision.allowed
      ? { allowed: true, identity, reason: `granted by role ${decision.role}` }
      : { allowed: false, identity, reason: decision.reason };
  };
  const deny = (caller: ApiCaller | undefined, attempt: AccessAttempt, reason: string): never => {
    const identity = caller?.actor ?? "unknown";
    logger.warn("API access denied", {
      actor: identity,
      identities: caller?.identities,
      verb: attempt.verb,
      resource: attempt.resource,
      ...(attempt.namespace === undefined ? {} : { namespace: attempt.namespace }),
      reason,
    });
    throw new ForbiddenError(
      `${identity} cannot ${attempt.verb} ${attempt.resource} ${describeScope(attempt)}: ${reason}; ` +
        "ask an admin to bind a role granting it in the access policy (CERTPLANE_ACCESS_POLICY_FILE)",
    );
  };
  return {
    review,
    require(caller, attempt) {
      const answer = review(caller, attempt);
      if (!answer.allowed) deny(caller, attempt, answer.reason);
    },
    requireAny(caller, attempts) {
      const answers = attempts.map((attempt) => review(caller, attempt));
      if (answers.some((answer) => answer.allowed) || attempts[0] === undefined) return;
      deny(caller, attempts[0], answers[0]!.reason);
    },
  };
}
