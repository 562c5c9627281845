import { setMaxListeners } from "node:events";
import { type Clock, type RecordedEvent, ValidationError } from "@certplane/domain";
import type {
  CertificateRequestEvent,
  CertificateRequestState,
  ChallengeState,
  IssuerEvent,
  IssuerState,
  OrderState,
} from "@certplane/domain/model";
import {
  type ChallengeEvent,
  certificateRequestDecider,
  challengeDecider,
  isChallengeFinal,
  issuerDecider,
  issuerReadyCondition,
  issuerStreamFor,
  type OrderEvent,
  orderDecider,
  streams,
  withCompanionCategories,
} from "@certplane/domain/model";
import type { EventStore, LeaseStore } from "@certplane/event-store";
import type { CommandBus } from "@certplane/messaging";
import type { KeyEncryptionKey } from "@certplane/pki";
import {
  type Logger,
  Projection,
  serviceHandles,
  systemTimerClock,
  type TimerClock,
  type WorkShare,
} from "@certplane/runtime";
import { inSpan } from "@certplane/telemetry";
import { AcmeAccounts } from "./accounts/acme-accounts.ts";
import type { AcmeClientFactory } from "./acme-client.ts";
import { createAcmeHttpClient } from "./adapters/acme-http-client.ts";
import type { ChallengeLimiter } from "./challenges/challenge-limiter.ts";
import { runChallenge } from "./challenges/challenge-runner.ts";
import { ChallengeSlots } from "./challenges/challenge-slots.ts";
import { LeasedChallengeSlots } from "./challenges/leased-challenge-slots.ts";
import type { AcmeSolverConfig } from "./config.ts";
import type { Dns01Support } from "./dns01-support.ts";
import { createDefaultDns01Support } from "./dns01-support-default.ts";
import { onCertificateRequestApproved } from "./handlers/certificate-request-approved.ts";
import { registerIssuerAccount } from "./handlers/issuer-changed.ts";
import { type Http01Responder, startHttp01Responder } from "./http01/responder.ts";
import { TokenIndex } from "./http01/token-index.ts";
import { reconcileOrder } from "./orders/order-reconciler.ts";
import type { SolverContext } from "./solver-context.ts";
import { workPartitionOf } from "./work-partition.ts";
import { WorkQueue } from "./work-queue.ts";

export interface AcmeSolverServiceDeps {
  readonly store: EventStore;
  readonly bus: CommandBus;
  readonly clock: Clock;
  readonly newId: () => string;
  /** This process among the service's instances, stamped on every event it appends. */
  readonly instance?: string;
  /** Shares the requests, Orders, Challenges and issuers with the service's other instances. */
  readonly workShare?: WorkShare;
  /** Where instances sharing the work keep the challenge limits; required with `workShare`. */
  readonly leases?: LeaseStore;
  /** Waits for and renews the challenge leases; the system clock when absent. */
  readonly timerClock?: TimerClock;
  readonly logger: Logger;
  readonly kek: KeyEncryptionKey;
  readonly config: AcmeSolverConfig;
  /** DNS-01 providers; by default from the solver spec, certplane's secret store and the config. */
  readonly dns01?: Dns01Support;
  /** The ACME client; acme-client over our own HTTPS transport unless a test fakes the server. */
  readonly acmeClientFactory?: AcmeClientFactory;
}

export interface AcmeSolverService {
  /** The HTTP-01 responder's port (0 when disabled). */
  readonly http01Port: number;
  stop(): Promise<void>;
}

const ORDER_WORKERS = 16;
const ACCOUNT_WORKERS = 4;

/**
 * Orders and Challenges for ACME issuers. Projections hold every issuer, request, Order and
 * Challenge; a change wakes the issuer's account registration, the request's Order creation, the
 * Order's reconcile or the Challenge's runner, each on its own work queue so that one slow or
 * unreachable ACME server never holds up the others. On start every open one resumes from its events.
 * With a WorkShare every instance still folds everything, but works only what falls in the
 * partitions it holds (work-partition.ts), and resumes what falls in a partition it gains.
 */
export async function startAcmeSolverService(deps: AcmeSolverServiceDeps): Promise<AcmeSolverService> {
  const logger = deps.logger.child({ component: "acme-solver" });
  const handles = serviceHandles({ service: "acme-solver", ...deps });
  const { runner, commands, actor } = handles;
  const ctx: SolverContext = {
    runner,
    commands,
    actor,
    clock: deps.clock,
    newId: deps.newId,
    config: deps.config,
    logger,
    dns01:
      deps.dns01 ??
      createDefaultDns01Support({ runner, kek: deps.kek, clock: deps.clock, config: deps.config }),
    accounts: new AcmeAccounts({
      runner,
      commands,
      kek: deps.kek,
      clientFactory: deps.acmeClientFactory ?? ((options) => createAcmeHttpClient(options, deps.clock)),
      logger,
    }),
  };
  const share = deps.workShare;
  const ours = (stream: string) =>
    share === undefined || share.holds(workPartitionOf(stream, share.partitions));
  const causes = new Map<string, RecordedEvent>();
  // Each piece of work is a span in the trace of the event that asked for it.
  const traced = <T>(name: string, stream: string, work: () => Promise<T>) =>
    inSpan(
      name,
      { parent: causes.get(stream)?.metadata.traceparent, attributes: { "certplane.stream": stream } },
      work,
    );
  const orders = new WorkQueue({
    reconcile: (stream) =>
      traced("acme-solver order", stream, () => reconcileOrder(ctx, stream, causes.get(stream))),
    concurrency: ORDER_WORKERS,
    retry: deps.config.retry,
    logger,
    owns: ours,
  });
  const accounts = new WorkQueue({
    reconcile: async (stream) => {
      await traced("acme-solver account", stream, () =>
        registerIssuerAccount(ctx, stream, causes.get(stream)),
      );
      return undefined;
    },
    concurrency: ACCOUNT_WORKERS,
    retry: deps.config.retry,
    logger,
    owns: ours,
  });
  const requests = new WorkQueue({
    reconcile: async (stream) => {
      await traced("acme-solver request", stream, () =>
        onCertificateRequestApproved(ctx, stream, causes.get(stream)),
      );
      return undefined;
    },
    concurrency: ORDER_WORKERS,
    retry: deps.config.retry,
    logger,
    owns: ours,
  });
  const abort = new AbortController();
  // One listener per waiting or pausing challenge; up to maxConcurrentChallenges and beyond.
  setMaxListeners(0, abort.signal);
  const limiter = challengeLimiter(deps, logger);
  /** Each challenge driven here, and how to stop its wait for a permit. */
  const running = new Map<string, { readonly task: Promise<void>; readonly waiting: AbortController }>();
  const tokens = new TokenIndex();
  const started: Array<{ stop(): Promise<void> }> = [];
  let live = false;

  const drive = (stream: string, state: ChallengeState) => {
    if (!live || state.status !== "present" || state.cleanedUp || running.has(stream) || !ours(stream)) {
      return;
    }
    const waiting = new AbortController();
    const task = (async () => {
      const challenge = { stream, type: state.spec.type, dnsName: state.spec.dnsName };
      const permit = await limiter.acquire(challenge, AbortSignal.any([abort.signal, waiting.signal]));
      if (!permit) return false;
      try {
        await traced("acme-solver challenge", stream, () =>
          runChallenge(ctx, stream, () => causes.get(stream), AbortSignal.any([abort.signal, permit.lost])),
        );
      } finally {
        await permit.release();
      }
      return permit.lost.aborted;
    })()
      .catch((error) => {
        logger.error("challenge runner stopped", { challenge: stream, error });
        return false;
      })
      .then((lost) => {
        running.delete(stream);
        // Another instance holds its name or slot now: this one waits its turn again.
        const current = challengeProjection.get(stream);
        if (lost && current) drive(stream, current);
      });
    running.set(stream, { task, waiting });
  };

  const challengeProjection = new Projection<ChallengeState>({
    categories: ["challenge"],
    initialState: () => challengeDecider.initialState(),
    evolve: (state, event) => challengeDecider.evolve(state, event as ChallengeEvent),
  });
  challengeProjection.onChange((stream, state, event) => {
    causes.set(stream, event);
    tokens.update(state);
    drive(stream, state);
    if (state.status === "present" && (isChallengeFinal(state) || event.type === "ChallengeCreated")) {
      const order = streams.order(state.meta.namespace, state.meta.orderName);
      causes.set(order, event);
      if (live) orders.add(order);
    }
  });
  const orderProjection = new Projection<OrderState>({
    categories: ["order"],
    initialState: () => orderDecider.initialState(),
    evolve: (state, event) => orderDecider.evolve(state, event as OrderEvent),
  });
  orderProjection.onChange((stream, _state, event) => {
    causes.set(stream, event);
    if (live) orders.add(stream);
  });

  const requestProjection = new Projection<CertificateRequestState>({
    categories: ["certificateRequest"],
    initialState: () => certificateRequestDecider.initialState(),
    evolve: (state, event) => certificateRequestDecider.evolve(state, event as CertificateRequestEvent),
  });
  const awaitsOrder = (state: CertificateRequestState) =>
    state.status === "present" && state.approved && state.phase === "pending";
  requestProjection.onChange((stream, state, event) => {
    if (event.type !== "CertificateRequestApproved" || !awaitsOrder(state)) return;
    causes.set(stream, event);
    if (live) requests.add(stream);
  });
  const issuerProjection = new Projection<IssuerState>({
    categories: withCompanionCategories(["issuer", "clusterIssuer"]),
    initialState: () => issuerDecider.initialState(),
    evolve: (state, event) => issuerDecider.evolve(state, event as IssuerEvent),
  });
  issuerProjection.onChange((stream, state, event) => {
    causes.set(stream, event);
    if (!live) return;
    if (event.type === "IssuerApplied") accounts.add(stream);
    const ready = state.status === "active" && issuerReadyCondition(state).status === "True";
    if (event.type === "IssuerReadinessChanged" && ready) requestsOf(stream);
  });
  /** Approved requests waiting for this issuer: it exists and is Ready now. */
  const requestsOf = (issuer: string) => {
    for (const [stream, request] of requestProjection.entries()) {
      if (!awaitsOrder(request) || request.status !== "present") continue;
      if (issuerStreamFor(request.meta.namespace ?? "", request.spec.issuerRef) === issuer) {
        requests.add(stream);
      }
    }
  };

  /**
   * Every issuer not Ready registers, every approved request without an Order gets one, every open
   * Challenge runs again, every Order is looked at once: on start, and for partitions gained.
   */
  const resume = (among: (stream: string) => boolean) => {
    for (const [stream] of issuerProjection.entries()) if (among(stream)) accounts.add(stream);
    for (const [stream, state] of requestProjection.entries()) {
      if (among(stream) && awaitsOrder(state)) requests.add(stream);
    }
    for (const [stream, state] of challengeProjection.entries()) if (among(stream)) drive(stream, state);
    for (const [stream] of orderProjection.entries()) if (among(stream)) orders.add(stream);
  };
  const unfollow = share?.onChange(async ({ gained, lost }) => {
    if (!live) return;
    const within = (indexes: readonly number[]) => (stream: string) =>
      indexes.includes(workPartitionOf(stream, share.partitions));
    // Challenges already running finish; those still waiting for a permit give up their turn.
    for (const [stream, { waiting }] of running) if (within(lost)(stream)) waiting.abort();
    resume(within(gained));
  });

  let responder: Http01Responder | undefined;
  const stop = async () => {
    live = false;
    unfollow?.();
    abort.abort();
    await Promise.all([accounts.stop(), requests.stop(), orders.stop()]);
    await Promise.allSettled([...running.values()].map(({ task }) => task));
    for (const part of [...started].reverse()) await part.stop();
    await responder?.close();
  };
  try {
    if (deps.config.http01ListenAddress) {
      responder = await startHttp01Responder(deps.config.http01ListenAddress, tokens);
    }
    const projections = [challengeProjection, orderProjection, requestProjection, issuerProjection];
    started.push(...projections);
    await Promise.all(projections.map((projection) => projection.start(deps.store)));
    live = true;
    resume(() => true);
  } catch (error) {
    await stop();
    throw error;
  }
  return { http01Port: responder?.port ?? 0, stop };
}

/** The challenge limits in this process alone, or, when instances share the work, in leases. */
function challengeLimiter(deps: AcmeSolverServiceDeps, logger: Logger): ChallengeLimiter {
  const max = deps.config.maxConcurrentChallenges;
  if (deps.workShare === undefined) return new ChallengeSlots(max);
  if (deps.leases === undefined) {
    throw ValidationError.of(
      "leases",
      "required",
      "an acme-solver that shares its work needs a lease store for its challenge limits",
    );
  }
  return new LeasedChallengeSlots({
    leases: deps.leases,
    instance: deps.workShare.instance,
    max,
    clock: deps.timerClock ?? systemTimerClock,
    logger,
  });
}
