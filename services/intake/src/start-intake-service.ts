import { randomBytes } from "node:crypto";
import type { CertplaneApi } from "@certplane/api";
import type { Clock } from "@certplane/domain";
import type { EventStore } from "@certplane/event-store";
import type { CommandBus } from "@certplane/messaging";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import type { WorkShare } from "@certplane/runtime";
import {
  type Logger,
  serviceHandles,
  startWorkReactor,
  systemTimerClock,
  type TimerClock,
} from "@certplane/runtime";
import { apiAccess } from "./access/api-access.ts";
import { guardedApi } from "./access/guarded-api.ts";
import { type ApprovalPolicy, approvalPolicyFromConfig } from "./approval/approval-policy.ts";
import type { IntakeConfig } from "./config.ts";
import { apply } from "./handlers/apply.ts";
import { approveCertificateRequest, failUnjudgedRequest } from "./handlers/approve-certificate-request.ts";
import { createTlsSecret } from "./handlers/create-tls-secret.ts";
import { deleteObject } from "./handlers/delete.ts";
import { describe } from "./handlers/describe.ts";
import { get } from "./handlers/get.ts";
import { history } from "./handlers/history.ts";
import { inspectSecret } from "./handlers/inspect-secret.ts";
import { judgeCertificateRequest } from "./handlers/judge-certificate-request.ts";
import { renew } from "./handlers/renew.ts";
import { replay } from "./handlers/replay.ts";
import { ClusterIngressShim } from "./ingress/cluster-ingress-shim.ts";
import type { IntakeContext } from "./intake-context.ts";
import { ReadModel } from "./read/read-model.ts";
import { ReadModelRebuilds } from "./read/read-model-rebuild.ts";
import {
  deleteReadModelSnapshot,
  loadReadModelSnapshot,
  saveReadModelSnapshot,
} from "./read/read-model-snapshots.ts";

export interface IntakeDependencies {
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly clock: Clock;
  readonly newId: () => string;
  /** This process among the service's instances, stamped on every event it appends. */
  readonly instance?: string;
  /** Shares the reactors' work with the service's other instances (CERTPLANE_WORK_PARTITIONS). */
  readonly workShare?: WorkShare;
  readonly logger: Logger;
  readonly kek: KeyEncryptionKey;
  readonly config: IntakeConfig;
  /** Replaces the policy built from config (for callers with their own approval rules). */
  readonly approvalPolicy?: ApprovalPolicy;
  readonly random?: RandomSource;
  /** Paces the ingress-shim's relists of clusters; the system's clock unless a test injects one. */
  readonly timerClock?: TimerClock;
}

export interface IntakeService {
  readonly api: CertplaneApi;
  stop(): Promise<void>;
}

/** The design's `intake.approver`; stores accept only `[A-Za-z0-9_-]` in durable names. */
export const approverSubscriptionName = "intake-approver";

/** Events folded past a snapshot at start that make writing a new one worth its time. */
const SNAPSHOT_AFTER_EVENTS = 10_000;

export async function startIntakeService(deps: IntakeDependencies): Promise<IntakeService> {
  const { logger } = deps;
  const handles = serviceHandles({ service: "intake", ...deps });
  const { runner, commands } = handles;
  let readModel = new ReadModel();
  const { snapshotDir, rebuildReadModels } = deps.config;
  if (snapshotDir !== undefined && rebuildReadModels) await deleteReadModelSnapshot(snapshotDir);
  const snapshot =
    snapshotDir === undefined || rebuildReadModels
      ? undefined
      : await loadReadModelSnapshot(snapshotDir, logger);
  logger.info(
    snapshot === undefined
      ? "folding the read models from every event"
      : "read models restored from a snapshot; folding the events after it",
    snapshot === undefined ? {} : { position: snapshot.position },
  );
  const { accessPolicy, localAdmin } = deps.config;
  if (accessPolicy === undefined && !localAdmin) {
    logger.warn(
      "no access policy (CERTPLANE_ACCESS_POLICY_FILE): every client that reaches the API may do anything in any namespace",
    );
  }
  const access = apiAccess({
    ...(accessPolicy === undefined ? {} : { policy: accessPolicy }),
    localAdmin,
    logger,
  });
  let folded = 0;
  await readModel.start(deps.store, {
    ...(snapshot === undefined ? {} : { snapshot }),
    onProgress: (count) => {
      folded = count;
      logger.info("read models: events folded", { folded: count });
    },
  });
  // A fresh snapshot pays off only when the start folded much more than the old one held.
  if (snapshotDir !== undefined && (snapshot === undefined || folded >= SNAPSHOT_AFTER_EVENTS))
    await saveReadModelSnapshot(snapshotDir, readModel, logger);
  const context: IntakeContext = {
    store: deps.store,
    runner,
    commands,
    // Read at every call, so an admin rebuild's new read models answer from the moment they are adopted.
    get readModel() {
      return readModel;
    },
    clock: deps.clock,
    newId: deps.newId,
    kek: deps.kek,
    random: deps.random ?? ((size) => randomBytes(size)),
    access,
  };
  const approver = await startWorkReactor(
    deps.store,
    {
      name: approverSubscriptionName,
      categories: ["certificateRequest"],
      logger,
      handle: approveCertificateRequest({
        writes: context,
        actor: handles.actor,
        policy: deps.approvalPolicy ?? approvalPolicyFromConfig(deps.config.approval),
        logger,
      }),
      onGiveUp: failUnjudgedRequest({ writes: context, actor: handles.actor }),
    },
    deps.workShare,
  );

  const ingressShim = new ClusterIngressShim({
    store: deps.store,
    context,
    clock: deps.timerClock ?? systemTimerClock,
    logger,
    clusterResourceNamespace: deps.config.clusterResourceNamespace,
  });
  await ingressShim.start();

  const rebuilds = new ReadModelRebuilds({
    store: deps.store,
    clock: deps.clock,
    newId: deps.newId,
    logger,
    live: () => readModel,
    async adopt(fresh) {
      const old = readModel;
      readModel = fresh;
      await old.stop();
      if (snapshotDir !== undefined) await saveReadModelSnapshot(snapshotDir, fresh, logger);
    },
  });

  const api: CertplaneApi = guardedApi(
    {
      apply: (request, caller) => apply(context, request, caller),
      get: (request) => get(context, request),
      describe: (request) => describe(context, request),
      delete: (request, caller) => deleteObject(context, request, caller),
      createTlsSecret: (request, caller) => createTlsSecret(context, request, caller),
      inspectSecret: (request) => inspectSecret(context, request),
      renew: (request, caller) => renew(context, request, caller),
      history: (request) => history(context, request),
      replay: (request) => replay(context, request),
      rebuildReadModels: (request) => rebuilds.handle(request),
      judgeCertificateRequest: (request, caller) => judgeCertificateRequest(context, request, caller),
    },
    access,
  );
  return {
    api,
    async stop() {
      await ingressShim.stop();
      await approver.stop();
      await rebuilds.settled();
      await readModel.stop();
      if (snapshotDir !== undefined) await saveReadModelSnapshot(snapshotDir, readModel, logger);
    },
  };
}
