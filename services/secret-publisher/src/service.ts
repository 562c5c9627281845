import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type Clock, ValidationError } from "@certplane/domain";
import type { EventStore, Subscription } from "@certplane/event-store";
import type { CommandBus, Registration } from "@certplane/messaging";
import type { KeyEncryptionKey, RandomSource } from "@certplane/pki";
import type { Logger, TimerClock, WorkShare } from "@certplane/runtime";
import { serveOwnerCommands, serviceHandles, startWorkReactor, systemTimerClock } from "@certplane/runtime";
import { FileSecretTarget } from "./adapters/file-secret-target.ts";
import { VaultKvSecretTarget } from "./adapters/vault-kv-secret-target.ts";
import type { SecretPublisherConfig } from "./config.ts";
import { SecretOutputsWatch } from "./issuing/secret-outputs-watch.ts";
import type { PublisherContext } from "./publisher-context.ts";
import { dispatch, publisherReactors } from "./reactors.ts";
import type { SecretTarget } from "./secrets/secret-target.ts";
import { type MirroredFileDrift, restoreMirroredFileDrift } from "./targets/mirrored-file-drift.ts";
import { TargetPublishing } from "./targets/target-publishing.ts";

export interface SecretPublisherDeps {
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
  readonly config: SecretPublisherConfig;
  /** Where secrets are mirrored; when absent, the file target under config.secretsDir and Vault KV if configured. */
  readonly targets?: readonly SecretTarget[];
  /** Randomness for sealing; node's randomBytes when absent. */
  readonly random?: RandomSource;
  /** Waits for publication retries to a SecretTarget that failed; the system clock when absent. */
  readonly timerClock?: TimerClock;
  /** How long a reactor waits before delivering a failed event again (the runtime's default when absent). */
  readonly reactorRetryDelayMs?: number;
}

export function publisherContext(
  deps: Omit<SecretPublisherDeps, "config" | "targets"> & { readonly targets: readonly SecretTarget[] },
): PublisherContext {
  const handles = serviceHandles({ service: "secret-publisher", ...deps });
  return {
    runner: handles.runner,
    commands: handles.commands,
    actor: handles.actor,
    newId: deps.newId,
    logger: deps.logger,
    kek: deps.kek,
    random: deps.random ?? randomBytes,
    targets: deps.targets,
  };
}

/**
 * Owns private keys and secrets: makes each issuance's key, asks the signer for its certificate
 * with a CSR, writes the secret and its targets, and reports the outcome to the scheduler.
 */
export async function startSecretPublisherService(
  deps: SecretPublisherDeps,
): Promise<SecretPublisherService> {
  const logger = deps.logger.child({ service: "secret-publisher" });
  const targets = deps.targets ?? configuredTargets(deps.config);
  const ctx = publisherContext({ ...deps, logger, targets });
  const registrations: (Subscription | Registration)[] = [];
  let drift: MirroredFileDrift | undefined;
  const outputs = new SecretOutputsWatch(deps.store, ctx);
  const publishing = new TargetPublishing({
    store: deps.store,
    ctx,
    clock: deps.timerClock ?? systemTimerClock,
    logger,
    clusterResourceNamespace: deps.config.clusterResourceNamespace,
    ...(deps.workShare === undefined ? {} : { share: deps.workShare }),
  });
  try {
    registrations.push(
      await serveOwnerCommands({
        bus: deps.bus,
        runner: ctx.runner,
        service: "secret-publisher",
        ...(deps.workShare === undefined ? {} : { share: deps.workShare }),
      }),
    );
    for (const reactor of publisherReactors(targets)) {
      registrations.push(
        await startWorkReactor(
          deps.store,
          {
            name: reactor.name,
            categories: reactor.categories,
            logger,
            handle: (event) => dispatch(ctx, reactor, event),
            ...(deps.reactorRetryDelayMs === undefined ? {} : { retryDelayMs: deps.reactorRetryDelayMs }),
            onGiveUp: (event, error) => reactor.giveUp(ctx, event, error),
          },
          deps.workShare,
        ),
      );
    }
    await publishing.start();
    registrations.push(publishing);
    drift = restoreMirroredFileDrift({
      ctx,
      clock: deps.timerClock ?? systemTimerClock,
      logger,
      secretStreams: () => publishing.secretStreams(),
      ...(deps.workShare === undefined ? {} : { share: deps.workShare }),
    });
    registrations.push(drift);
    await outputs.start();
    registrations.push(outputs);
  } catch (error) {
    await Promise.allSettled(registrations.map((s) => s.stop()));
    throw error;
  }
  return {
    async idle() {
      await drift?.idle();
      await outputs.idle();
      await publishing.idle();
    },
    async stop() {
      await Promise.all(registrations.map((s) => s.stop()));
    },
  };
}

export interface SecretPublisherService {
  /** Resolves once the files are compared (at start, and for partitions gained) and the keystore updates and every SecretTarget's queue are done. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

function configuredTargets(config: SecretPublisherConfig): SecretTarget[] {
  const file = new FileSecretTarget({ secretsDir: config.secretsDir });
  if (config.vaultKv === undefined) return [file];
  const { server, mount, prefix, namespace, tokenFile } = config.vaultKv;
  return [
    file,
    new VaultKvSecretTarget({ server, mount, prefix, namespace, token: () => readToken(tokenFile) }),
  ];
}

// The message names the file, never what it holds.
async function readToken(tokenFile: string): Promise<string> {
  const token = (await readFile(tokenFile, "utf8")).trim();
  if (token === "") {
    throw ValidationError.of(
      "CERTPLANE_VAULT_KV_TOKEN_FILE",
      "empty",
      `the Vault token file ${tokenFile} is empty`,
    );
  }
  return token;
}
