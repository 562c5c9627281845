import { randomBytes } from "node:crypto";
import type { CertplaneApi } from "@certplane/api";
import type { Clock } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import { AggregateRunner, type Logger, startReactor } from "@certplane/runtime";
import { type ApprovalPolicy, approvalPolicyFromConfig } from "./approval/approval-policy.ts";
import type { IntakeConfig } from "./config.ts";
import { apply } from "./handlers/apply.ts";
import { approveCertificateRequest } from "./handlers/approve-certificate-request.ts";
import { createTlsSecret } from "./handlers/create-tls-secret.ts";
import { deleteObject } from "./handlers/delete.ts";
import { describe } from "./handlers/describe.ts";
import { get } from "./handlers/get.ts";
import { history } from "./handlers/history.ts";
import { inspectSecret } from "./handlers/inspect-secret.ts";
import { renew } from "./handlers/renew.ts";
import type { IntakeContext } from "./intake-context.ts";
import { ReadModel } from "./read/read-model.ts";

export interface IntakeDependencies {
  readonly store: EventStore;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly logger: Logger;
  readonly kek: KeyEncryptionKey;
  readonly config: IntakeConfig;
  /** Replaces the policy built from config (for callers with their own approval rules). */
  readonly approvalPolicy?: ApprovalPolicy;
  readonly random?: RandomSource;
  /** Who API writes are attributed to; default `user`. */
  readonly actor?: string;
}

export interface IntakeService {
  readonly api: CertplaneApi;
  stop(): Promise<void>;
}

/** The design's `intake.approver`; stores accept only `[A-Za-z0-9_-]` in durable names. */
export const approverSubscriptionName = "intake-approver";

export async function startIntakeService(deps: IntakeDependencies): Promise<IntakeService> {
  const { logger } = deps;
  const runner = new AggregateRunner({ store: deps.store, clock: deps.clock, newId: deps.newId });
  const readModel = new ReadModel();
  await readModel.start(deps.store);
  const context: IntakeContext = {
    store: deps.store,
    runner,
    readModel,
    clock: deps.clock,
    newId: deps.newId,
    kek: deps.kek,
    random: deps.random ?? ((size) => randomBytes(size)),
    actor: deps.actor ?? "user",
  };
  const approver = await startReactor(deps.store, {
    name: approverSubscriptionName,
    categories: ["certificateRequest"],
    logger,
    handle: approveCertificateRequest({
      runner,
      policy: deps.approvalPolicy ?? approvalPolicyFromConfig(deps.config.approval),
      logger,
    }),
  });

  const api: CertplaneApi = {
    apply: (request) => apply(context, request),
    get: (request) => get(context, request),
    describe: (request) => describe(context, request),
    delete: (request) => deleteObject(context, request),
    createTlsSecret: (request) => createTlsSecret(context, request),
    inspectSecret: (request) => inspectSecret(context, request),
    renew: (request) => renew(context, request),
    history: (request) => history(context, request),
  };
  return {
    api,
    async stop() {
      await approver.stop();
      await readModel.stop();
    },
  };
}
