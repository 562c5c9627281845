import { randomBytes } from "node:crypto";
import type { Clock, RecordedEvent } from "@certplane/domain";
import type { EventStore, Subscription } from "@certplane/event-store";
import { partitionOf } from "@certplane/event-store";
import type { CommandBus, Registration } from "@certplane/messaging";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import type { WorkShare } from "@certplane/runtime";
import {
  type Logger,
  type Projection,
  serveOwnerCommands,
  serviceHandles,
  startReactor,
  startSharedReactor,
  startWorkReactor,
} from "@certplane/runtime";
import { CaSigner } from "./adapters/ca-signer.ts";
import { SelfSignedSigner } from "./adapters/self-signed-signer.ts";
import {
  KubeServiceAccountTokens,
  type ServiceAccountTokens,
} from "./adapters/vault/service-account-tokens.ts";
import { VaultSigner } from "./adapters/vault-signer.ts";
import type { SignerConfig } from "./config.ts";
import type { Signers } from "./issuer-view.ts";
import { failRequest, readinessRoutes, recordReadinessError, route, signingRoutes } from "./reactors.ts";
import { IssuerSecretIndex, issuerSecretProjection } from "./readiness/issuer-secret-index.ts";
import { SecretReader } from "./secret-reader.ts";
import type { SignerContext } from "./signer-context.ts";
import { OpenRequestIndex, openRequestProjection } from "./signing/open-request-index.ts";
import { processRequest } from "./signing/sign-request.ts";

export type { SignerConfig } from "./config.ts";
export { parseSignerConfig } from "./config.ts";
export type { IssuerView, Readiness, SecretRef, Signer, SignOutcome, SignRequest } from "./signer.ts";

export interface SignerServiceDeps {
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
  readonly config: SignerConfig;
  /** Random bytes for serial numbers; node's CSPRNG unless a test pins them. */
  readonly random?: RandomSource;
  /** Bound service-account tokens for Vault's Kubernetes auth; from `config.kubeconfigPath` unless given. */
  readonly serviceAccountTokens?: ServiceAccountTokens;
}

/**
 * Owns CertificateRequests and issuer status: creates requests on the publisher's (or intake's)
 * command, approves or denies them on intake's, completes them with its backends (selfSigned, CA
 * and Vault here; ACME answers through the acme-solver's commands), and keeps each issuer's readiness.
 * Resolves once its reactors and command handlers run; `stop` waits for handlers to end.
 */
export async function startSignerService(deps: SignerServiceDeps): Promise<{ stop(): Promise<void> }> {
  // Loaded before anything starts, so a bad CERTPLANE_SIGNER_KUBECONFIG stops the service at once.
  const serviceAccountTokens =
    deps.serviceAccountTokens ??
    (deps.config.kubeconfigPath === undefined
      ? undefined
      : KubeServiceAccountTokens.fromKubeconfigFile(deps.config.kubeconfigPath));
  const handles = serviceHandles({ service: "signer", ...deps });
  const share = deps.workShare;
  const runner = handles.runner;
  const secrets = new SecretReader(runner, deps.kek);
  const random = deps.random ?? ((size: number) => new Uint8Array(randomBytes(size)));
  const signers: Signers = {
    selfSigned: new SelfSignedSigner({ secrets, random }),
    ca: new CaSigner({ secrets, random }),
    vault: new VaultSigner({
      secrets,
      clock: deps.clock,
      logger: deps.logger.child({ component: "vault-signer" }),
      serviceAccountTokens,
    }),
  };
  const ctx: SignerContext = {
    runner,
    actor: handles.actor,
    signers,
    clusterResourceNamespace: deps.config.clusterResourceNamespace,
    maxDurationMs: deps.config.maxDurationMs,
    issuersBySecret: new IssuerSecretIndex(),
    openRequests: new OpenRequestIndex(),
    owns: (stream) => share === undefined || share.holds(partitionOf(stream, share.partitions)),
    logger: deps.logger.child({ component: "signer" }),
  };
  const started: Array<Projection<unknown> | Subscription | Registration> = [];
  const stop = async () => {
    for (const part of [...started].reverse()) await part.stop();
  };
  try {
    const projections = [
      issuerSecretProjection(ctx.issuersBySecret, signers, ctx.clusterResourceNamespace),
      openRequestProjection(ctx.openRequests),
    ];
    started.push(...(projections as Projection<unknown>[]));
    await Promise.all(projections.map((projection) => projection.start(deps.store)));
    started.push(
      await serveOwnerCommands({
        bus: deps.bus,
        runner,
        service: "signer",
        ...(deps.workShare === undefined ? {} : { share: deps.workShare }),
      }),
    );
    started.push(
      await startWorkReactor(
        deps.store,
        {
          name: "signer-issuer-readiness",
          categories: ["issuer", "clusterIssuer", "secret"],
          handle: route(readinessRoutes, ctx),
          onGiveUp: (event, error) => recordReadinessError(ctx, event, error),
          logger: ctx.logger,
        },
        deps.workShare,
      ),
    );
    const signing = {
      handle: route(signingRoutes, ctx),
      onGiveUp: (event: RecordedEvent, error: unknown) => failRequest(ctx, event, error),
      logger: ctx.logger,
    };
    if (share === undefined) {
      started.push(
        await startReactor(deps.store, {
          ...signing,
          name: "signer-signing",
          categories: ["certificateRequest", "issuerStatus", "clusterIssuerStatus"],
        }),
      );
    } else {
      started.push(
        await startSharedReactor(
          deps.store,
          { ...signing, name: "signer-signing", categories: ["certificateRequest"] },
          share,
        ),
        // An issuer's readiness concerns requests in every partition: each instance hears every
        // change (under its own checkpoint) and takes up its own partitions' requests.
        await startReactor(deps.store, {
          ...signing,
          name: `signer-issuer-changes-${share.instance}`,
          categories: ["issuerStatus", "clusterIssuerStatus"],
        }),
        resumeGainedRequests(ctx, deps.store, share),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

/**
 * A partition gained during an issuer's change of readiness may hold requests that neither
 * instance took up (the old holder had let it go, the new one did not hold it yet): they are
 * processed again, which is a no-op for any that needs nothing.
 */
function resumeGainedRequests(ctx: SignerContext, store: EventStore, share: WorkShare): Registration {
  const unsubscribe = share.onChange(async ({ gained }) => {
    if (gained.length === 0) return;
    const partitions = new Set(gained);
    const requests = ctx.openRequests.all().filter((s) => partitions.has(partitionOf(s, share.partitions)));
    // Not awaited: the leases are renewed while this runs.
    void (async () => {
      for (const stream of requests) {
        const cause = (await store.read(stream)).events.at(-1);
        if (cause !== undefined && ctx.owns(stream)) await processRequest(ctx, stream, cause);
      }
    })().catch((error: unknown) =>
      ctx.logger.warn("requests of a gained partition not taken up; their next change does", { error }),
    );
  });
  return {
    async stop() {
      unsubscribe();
    },
  };
}
