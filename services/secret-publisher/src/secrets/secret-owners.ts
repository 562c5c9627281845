import { ForbiddenError } from "@certplane/domain";
import type { SecretOwner, SecretState, StoredObjectMeta } from "@certplane/domain/model";
import { sameOwner, secretDecider } from "@certplane/domain/model";
import type { SecretRef } from "./secret-target.ts";

/** Names the issuance a next-key secret was made for, so a retried issuance reuses its key. */
export const REQUEST_NAME_ANNOTATION = "certplane.io/request-name";

export function certificateOwner(meta: StoredObjectMeta): SecretOwner {
  return { kind: "Certificate", name: meta.name, uid: meta.uid };
}

export function nextKeyOwner(meta: StoredObjectMeta): SecretOwner {
  return { kind: "NextPrivateKey", certificateName: meta.name, certificateUid: meta.uid };
}

/**
 * Why `owner` may not write the secret, or undefined when it may. The secret decider owns the
 * rule and its wording, so ask it with a probe write instead of restating either here.
 */
export function ownershipConflict(
  state: SecretState,
  ref: SecretRef,
  owner: SecretOwner,
): string | undefined {
  if (state.status !== "present" || sameOwner(state.owner, owner)) return undefined;
  try {
    secretDecider.decide(
      {
        type: "WriteSecret",
        ...ref,
        owner,
        content: { type: state.content.type, data: {}, sealedData: {} },
        now: state.updatedAt,
      },
      state,
    );
    return undefined;
  } catch (error) {
    if (error instanceof ForbiddenError) return error.message;
    throw error;
  }
}
