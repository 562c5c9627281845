import { apiSubjectPrefix } from "@certplane/api";
import { jetStreamDefaults } from "@certplane/event-store";
import type { NatsSubjectLayout } from "./service-permissions.ts";

/** The layout the services use with default configuration: what infra/nats/authorization.conf is made for. */
export const certplaneSubjectLayout: NatsSubjectLayout = Object.freeze({
  ...jetStreamDefaults,
  api: { server: "intake" as const, subjects: `${apiSubjectPrefix}.>` },
});
