import type { SecretEvent } from "./events.ts";
import type { SecretState } from "./state.ts";

export function evolveSecret(state: SecretState, event: SecretEvent): SecretState {
  switch (event.type) {
    case "SecretWritten": {
      const { name, namespace, owner, writtenAt, ...content } = event.data;
      return {
        status: "present",
        name,
        namespace,
        owner,
        content,
        createdAt: state.status === "present" ? state.createdAt : writtenAt,
        updatedAt: writtenAt,
        version: state.status === "present" ? state.version + 1 : 1,
      };
    }
    case "SecretDeleted":
      return { status: "absent" };
  }
}
