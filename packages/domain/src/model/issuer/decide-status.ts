import type { Decider } from "../../decider.ts";
import { jsonEqual } from "../object-meta.ts";
import type { IssuerStatusCommand } from "./commands.ts";
import type { AcmeAccountStatus, IssuerEvent } from "./events.ts";
import { evolveIssuer } from "./evolve.ts";
import type { IssuerState } from "./state.ts";
import { initialIssuerState } from "./state.ts";

function decideStatus(command: IssuerStatusCommand, state: IssuerState): IssuerEvent[] {
  switch (command.type) {
    case "RecordAcmeAccount": {
      if (state.status !== "active") return [];
      const { uri, lastRegisteredEmail, lastPrivateKeyHash } = command;
      const account: AcmeAccountStatus = {
        uri,
        ...(lastRegisteredEmail ? { lastRegisteredEmail } : {}),
        lastPrivateKeyHash,
      };
      if (state.acme && jsonEqual(state.acme, account)) return [];
      return [{ type: "IssuerAcmeAccountRegistered", data: { ...account, at: command.now } }];
    }
    case "SetIssuerReadiness": {
      if (state.status !== "active" || command.generation !== state.meta.generation) return [];
      const current = state.readiness;
      if (
        current &&
        current.observedGeneration === command.generation &&
        current.status === command.status &&
        current.reason === command.reason &&
        current.message === command.message
      ) {
        return [];
      }
      return [
        {
          type: "IssuerReadinessChanged",
          data: {
            status: command.status,
            reason: command.reason,
            message: command.message,
            observedGeneration: command.generation,
            at: command.now,
          },
        },
      ];
    }
  }
}

/** An issuer's status, owned by the signer (the acme-solver sends it what ACME registration found). */
export const issuerStatusDecider: Decider<IssuerStatusCommand, IssuerEvent, IssuerState> = {
  initialState: initialIssuerState,
  decide: decideStatus,
  evolve: evolveIssuer,
};
