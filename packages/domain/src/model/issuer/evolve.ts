import type { IssuerEvent } from "./events.ts";
import type { IssuerState } from "./state.ts";

/** One evolve for both writers' events, so the spec and the status stream fold into one issuer. */
export function evolveIssuer(state: IssuerState, event: IssuerEvent): IssuerState {
  switch (event.type) {
    case "IssuerApplied": {
      const { meta, spec } = event.data;
      if (state.status === "active") return { ...state, meta, spec };
      return { status: "active", meta, spec };
    }
    case "IssuerReadinessChanged":
      return state.status === "active" ? { ...state, readiness: event.data } : state;
    case "IssuerDeleted":
      return state.status === "active" ? { ...state, status: "deleted" } : state;
    case "IssuerAcmeAccountRegistered": {
      const { at: _at, ...account } = event.data;
      return state.status === "active" ? { ...state, acme: account } : state;
    }
  }
}
