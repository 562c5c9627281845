import type { Decider } from "../../decider.ts";
import { NotFoundError, ValidationError } from "../../errors.ts";
import { failedWith } from "../acme-problem.ts";
import { jsonEqual } from "../object-meta.ts";
import type { OrderCommand } from "./commands.ts";
import type { OrderEvent } from "./events.ts";
import { evolveOrder } from "./evolve.ts";
import type { ExistingOrder, OrderState } from "./state.ts";
import { initialOrderState, isOrderFinal } from "./state.ts";

/** A final Order ignores every later step; an absent one cannot take any. */
function requireOpenOrder(state: OrderState): ExistingOrder | undefined {
  if (state.status === "absent") throw new NotFoundError("order not found");
  return isOrderFinal(state) ? undefined : state;
}

function decideOrder(command: OrderCommand, state: OrderState): OrderEvent[] {
  const at = command.now;
  switch (command.type) {
    case "CreateOrder":
      if (state.status === "present") {
        if (jsonEqual(state.spec, command.spec)) return [];
        throw ValidationError.of("spec", "immutable", `order ${command.meta.name}: spec is immutable`);
      }
      return [{ type: "OrderCreated", data: { meta: command.meta, spec: command.spec, createdAt: at } }];
    case "RecordOrderPlaced": {
      const order = requireOpenOrder(state);
      if (!order || order.url !== undefined) return [];
      const { url, finalizeURL, authorizationURLs } = command;
      return [
        { type: "OrderPlaced", data: { url, finalizeURL, authorizationURLs, state: command.state, at } },
      ];
    }
    case "RecordOrderAuthorizations": {
      const order = requireOpenOrder(state);
      if (!order || order.url === undefined || order.authorizations !== undefined) return [];
      return [{ type: "OrderAuthorizationsFetched", data: { authorizations: command.authorizations, at } }];
    }
    case "RecordOrderFinalized": {
      const order = requireOpenOrder(state);
      if (!order || order.finalized) return [];
      return [{ type: "OrderFinalized", data: { state: command.state, at } }];
    }
    case "RecordOrderCertificate": {
      const order = requireOpenOrder(state);
      if (!order) return [];
      return [{ type: "OrderCertificateDownloaded", data: { certificate: command.certificate, at } }];
    }
    case "FailOrder":
      return requireOpenOrder(state) ? [{ type: "OrderFailed", data: failedWith(command) }] : [];
  }
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: initialOrderState,
  decide: decideOrder,
  evolve: evolveOrder,
};
