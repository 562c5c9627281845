import type { OrderEvent } from "./events.ts";
import type { OrderState } from "./state.ts";

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === "OrderCreated") {
    return {
      status: "present",
      meta: event.data.meta,
      spec: event.data.spec,
      state: "",
      finalized: false,
      createdAt: event.data.createdAt,
    };
  }
  if (state.status === "absent") return state;
  switch (event.type) {
    case "OrderPlaced": {
      const { url, finalizeURL, authorizationURLs } = event.data;
      return { ...state, url, finalizeURL, authorizationURLs, state: event.data.state };
    }
    case "OrderAuthorizationsFetched":
      return { ...state, authorizations: event.data.authorizations };
    case "OrderFinalized":
      return { ...state, finalized: true, state: event.data.state };
    case "OrderCertificateDownloaded":
      return { ...state, state: "valid", certificate: event.data.certificate };
    case "OrderFailed":
      return {
        ...state,
        state: event.data.state,
        reason: event.data.reason,
        ...(event.data.problem ? { problem: event.data.problem } : {}),
        failureTime: event.data.at,
      };
  }
}
