import { randomBytes, randomUUID } from "node:crypto";
import type { AcmeChallengeSolver, Clock } from "@certplane/domain";
import { systemClock } from "@certplane/domain";
import type {
  CertificateRequestState,
  ChallengeState,
  IssuerCommand,
  OrderState,
  SecretCommand,
} from "@certplane/domain/model";
import {
  certificateRequestDecider,
  challengeDecider,
  issuerDecider,
  orderDecider,
  parseStreamName,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import { createCsr, generatePrivateKey, KeyEncryptionKey, seal, secretValueAad } from "@certplane/pki";
import {
  AggregateRunner,
  type CommandContext,
  createLogger,
  silentLogger,
  type WorkShare,
} from "@certplane/runtime";
import { type OwnerEndpoints, startOwnerEndpoints } from "@certplane/runtime/testing";
import type { AcmeSolverConfig } from "../config.ts";
import { parseAcmeSolverConfig } from "../config.ts";
import { type AcmeSolverService, type AcmeSolverServiceDeps, startAcmeSolverService } from "../service.ts";

// Test fixtures for the acme-solver: a store, an ACME issuer, approved requests, and polling
// helpers that wait for a condition with a deadline (never a fixed sleep).

const context: CommandContext = { correlationId: "test", causationId: "test", actor: "test" };

export interface IssuerOptions {
  readonly server: string;
  readonly caPem?: string;
  readonly solvers: readonly AcmeChallengeSolver[];
  readonly eab?: { readonly kid: string; readonly hmacKey: string };
  readonly kind?: "Issuer" | "ClusterIssuer";
  readonly preferredChain?: string;
  readonly enableDurationFeature?: boolean;
}

export class SolverHarness {
  readonly store: MemoryEventStore;
  readonly runner: AggregateRunner;
  readonly kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  readonly clock: Clock;
  readonly namespace = "apps";
  readonly #ownerShare: WorkShare | undefined;
  #services: AcmeSolverService[] = [];
  #owners: OwnerEndpoints | undefined;

  /** `ownerShare`: the partitions the other services hold, for solvers that share their work. */
  constructor(clock: Clock = systemClock, options: { readonly ownerShare?: WorkShare } = {}) {
    this.clock = clock;
    this.#ownerShare = options.ownerShare;
    this.store = new MemoryEventStore({ clock });
    this.runner = new AggregateRunner({ store: this.store, clock, newId: randomUUID });
  }

  /** The solver's HTTP-01 responder and self-check on the port pebble's VA validates against. */
  static pebbleConfig(
    pebble: { readonly httpPort: number },
    env: Record<string, string> = {},
  ): AcmeSolverConfig {
    const responder = `127.0.0.1:${pebble.httpPort}`;
    return SolverHarness.config({
      CERTPLANE_ACME_HTTP01_LISTEN: responder,
      CERTPLANE_ACME_HTTP01_SELF_CHECK_ADDRESS: responder,
      ...env,
    });
  }

  static config(env: Record<string, string> = {}): AcmeSolverConfig {
    return parseAcmeSolverConfig({
      CERTPLANE_ACME_HTTP01_LISTEN: "127.0.0.1:0",
      CERTPLANE_ACME_SELF_CHECK_SUCCESSES: "1",
      CERTPLANE_ACME_SELF_CHECK_INTERVAL_MS: "20",
      CERTPLANE_ACME_POLL_INTERVAL_MS: "20",
      CERTPLANE_ACME_RETRY_MIN_MS: "20",
      CERTPLANE_ACME_RETRY_MAX_MS: "200",
      CERTPLANE_ACME_DNS01_CHECK_RETRY_PERIOD_MS: "20",
      ...env,
    });
  }

  /** One solver instance on the harness's store; call it again for another instance. */
  async start(
    options: Pick<AcmeSolverServiceDeps, "config"> &
      Partial<
        Pick<
          AcmeSolverServiceDeps,
          "acmeClientFactory" | "dns01" | "instance" | "workShare" | "leases" | "timerClock"
        >
      >,
  ) {
    this.#owners ??= await startOwnerEndpoints({
      store: this.store,
      clock: this.clock,
      newId: randomUUID,
      except: ["acme-solver"],
      ...(this.#ownerShare === undefined ? {} : { share: this.#ownerShare }),
    });
    const service = await startAcmeSolverService({
      store: this.store,
      bus: this.#owners.bus,
      clock: this.clock,
      newId: randomUUID,
      logger: process.env.ACME_DEBUG
        ? createLogger({ service: "acme-solver", level: "debug" })
        : silentLogger,
      kek: this.kek,
      ...options,
    });
    this.#services.push(service);
    return service;
  }

  async stopAll(): Promise<void> {
    for (const service of this.#services.splice(0)) await service.stop();
    await this.#owners?.stop();
    this.#owners = undefined;
  }

  async applyIssuer(name: string, options: IssuerOptions): Promise<string> {
    if (options.eab) await this.writeUserSecret("eab-key", { secret: options.eab.hmacKey });
    const acme = {
      server: options.server,
      email: "ops@example.test",
      privateKeySecretRef: { name: `${name}-account-key` },
      ...(options.caPem ? { caBundle: Buffer.from(options.caPem).toString("base64") } : {}),
      ...(options.eab
        ? {
            externalAccountBinding: {
              keyID: options.eab.kid,
              keySecretRef: { name: "eab-key", key: "secret" },
            },
          }
        : {}),
      solvers: options.solvers,
      ...(options.preferredChain === undefined ? {} : { preferredChain: options.preferredChain }),
      ...(options.enableDurationFeature === undefined
        ? {}
        : { enableDurationFeature: options.enableDurationFeature }),
    };
    const stream =
      options.kind === "ClusterIssuer" ? streams.clusterIssuer(name) : streams.issuer(this.namespace, name);
    const command: IssuerCommand = {
      type: "ApplyIssuer",
      name,
      ...(options.kind === "ClusterIssuer" ? {} : { namespace: this.namespace }),
      uid: randomUUID(),
      spec: { acme },
      now: this.clock.now().toISOString(),
    };
    await this.runner.execute(stream, issuerDecider, command, context);
    return stream;
  }

  async writeUserSecret(name: string, values: Record<string, string>): Promise<void> {
    const sealedData = Object.fromEntries(
      Object.entries(values).map(([key, value]) => [
        key,
        seal(
          this.kek,
          value,
          secretValueAad({ namespace: this.namespace, name }, key),
          (n) => new Uint8Array(randomBytes(n)),
        ),
      ]),
    );
    const command: SecretCommand = {
      type: "WriteSecret",
      name,
      namespace: this.namespace,
      owner: { kind: "User", actor: "test" },
      content: { type: "Opaque", data: {}, sealedData },
      now: this.clock.now().toISOString(),
    };
    await this.runner.execute(streams.secret(this.namespace, name), secretDecider, command, context);
  }

  /** Creates and approves a request for `names` (DNS names and IPs, and a Go `duration`) from `issuer`. */
  async request(
    name: string,
    issuer: string,
    { duration, ...names }: { dnsNames?: string[]; ipAddresses?: string[]; duration?: string },
    kind?: string,
  ) {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const csr = await createCsr(names, key);
    const stream = streams.certificateRequest(this.namespace, name);
    const now = this.clock.now().toISOString();
    await this.runner.execute(
      stream,
      certificateRequestDecider,
      {
        type: "CreateCertificateRequest",
        meta: { name, namespace: this.namespace, uid: randomUUID(), generation: 1, creationTimestamp: now },
        spec: {
          request: csr,
          issuerRef: { name: issuer, ...(kind ? { kind } : {}), group: "cert-manager.io" },
          ...(duration ? { duration } : {}),
        },
        now,
      },
      context,
    );
    await this.runner.execute(
      stream,
      certificateRequestDecider,
      {
        type: "ApproveCertificateRequest",
        reason: "cert-manager.io",
        message: "Certificate request has been approved by cert-manager.io",
        now,
      },
      context,
    );
    return { stream, key };
  }

  async requestState(stream: string): Promise<CertificateRequestState> {
    return (await this.runner.load(stream, certificateRequestDecider)).state;
  }

  /** Polls until the request is no longer pending. */
  async settled(stream: string, deadlineMs = 20_000) {
    return await this.until(
      async () => {
        const state = await this.requestState(stream);
        return state.status === "present" && state.phase !== "pending" ? state : undefined;
      },
      deadlineMs,
      `request ${stream} to settle`,
    );
  }

  async orders(): Promise<OrderState[]> {
    return await this.#all("order", async (s) => (await this.runner.load(s, orderDecider)).state);
  }

  async challenges(): Promise<ChallengeState[]> {
    return await this.#all("challenge", async (s) => (await this.runner.load(s, challengeDecider)).state);
  }

  /** Every stream of a category, from a subscription replay of the store. */
  async #all<S>(category: string, fold: (stream: string) => Promise<S>): Promise<S[]> {
    const names = new Set<string>();
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => {
      caughtUp = resolve;
    });
    const subscription = await this.store.subscribe({
      from: "start",
      categories: [category],
      onCaughtUp: () => caughtUp(),
      handler: async (event) => {
        if (parseStreamName(event.stream).category === category) names.add(event.stream);
      },
    });
    await ready;
    await subscription.stop();
    return await Promise.all([...names].map(fold));
  }

  async until<T>(check: () => Promise<T | undefined>, deadlineMs: number, what: string): Promise<T> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
