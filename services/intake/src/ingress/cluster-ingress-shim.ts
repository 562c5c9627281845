// The ingress-shim for clusters: every kubernetes SecretTarget with `ingressShim` has its cluster's
// Ingresses watched, and each annotated Ingress becomes Certificates (in the Ingress's namespace)
// that name the target, so their Secrets are published back into that cluster. Editing the Ingress
// updates them, deleting it (or a tls entry) deletes them; a relist catches what changed while no
// watch ran. The targets are followed from the start of their streams (not durably): the Ingresses
// in the cluster and the Certificates in the store are what is remembered.
import type { ApiCaller, ApplyResult } from "@certplane/api";
import type { RecordedEvent } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import type {
  IngressLike,
  IngressSource,
  IngressSyncPlan,
  SecretTargetEvent,
  SecretTargetState,
} from "@certplane/domain/model";
import {
  certificatesForIngress,
  describeIngressSource,
  evolveSecretTarget,
  ingressClusterAnnotation,
  ingressNamesIssuer,
  ingressSourceAnnotation,
  initialSecretTargetState,
  parseStreamName,
} from "@certplane/domain/model";
import type { EventStore, Subscription } from "@certplane/event-store";
import { subscribeCaughtUp } from "@certplane/event-store";
import type { KubernetesTargetSpec, RunningWatch } from "@certplane/kubernetes";
import { kubeConfigForTarget, kubeconfigStreamOf, listAndWatch } from "@certplane/kubernetes";
import type { Logger, TimerClock } from "@certplane/runtime";
import { toDomainEvent } from "@certplane/runtime";
import type { KubeConfig, V1Ingress } from "@kubernetes/client-node";
import { NetworkingV1Api } from "@kubernetes/client-node";
import { apply } from "../handlers/apply.ts";
import type { IntakeContext } from "../intake-context.ts";
import { planSync, pruneCertificates } from "./sync-ingress.ts";

export interface ClusterIngressShimOptions {
  readonly store: EventStore;
  readonly context: IntakeContext;
  readonly clock: TimerClock;
  readonly logger: Logger;
  readonly clusterResourceNamespace: string;
}

/** How long a failed list or dropped watch waits before the next list. */
const WATCH_PAUSE_MS = 1_000;

export class ClusterIngressShim {
  readonly #options: ClusterIngressShimOptions;
  readonly #targets = new Map<string, SecretTargetState>();
  readonly #watchers = new Map<string, IngressWatcher>();
  #subscription: Subscription | undefined;

  constructor(options: ClusterIngressShimOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#subscription = await subscribeCaughtUp(this.#options.store, {
      from: "start",
      categories: ["secretTarget", "secret"],
      handler: async (event) => this.#apply(event),
    });
  }

  /** Resolves when every watcher has carried out the Ingress changes it has seen so far. */
  async idle(): Promise<void> {
    await Promise.all([...this.#watchers.values()].map((watcher) => watcher.idle()));
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
    await Promise.all([...this.#watchers.values()].map((watcher) => watcher.stop()));
    this.#watchers.clear();
  }

  #apply(event: RecordedEvent): void {
    const { category, name } = parseStreamName(event.stream);
    if (category === "secret") {
      for (const [target, watcher] of this.#watchers) {
        if (kubeconfigStreamOf(watcher.spec, this.#options.clusterResourceNamespace) === event.stream) {
          this.#restart(target, watcher.spec);
        }
      }
      return;
    }
    const next = evolveSecretTarget(
      this.#targets.get(name) ?? initialSecretTargetState(),
      toDomainEvent<SecretTargetEvent>(event),
    );
    this.#targets.set(name, next);
    const kubernetes = next.status === "active" ? next.spec.kubernetes : undefined;
    if (kubernetes?.ingressShim === undefined) {
      void this.#watchers.get(name)?.stop();
      this.#watchers.delete(name);
      return;
    }
    const running = this.#watchers.get(name);
    if (running === undefined || JSON.stringify(running.spec) !== JSON.stringify(kubernetes)) {
      this.#restart(name, kubernetes);
    }
  }

  #restart(target: string, spec: KubernetesTargetSpec): void {
    void this.#watchers.get(target)?.stop();
    const watcher = new IngressWatcher(target, spec, this.#options);
    this.#watchers.set(target, watcher);
    watcher.start();
  }
}

class IngressWatcher {
  readonly spec: KubernetesTargetSpec;
  readonly #target: string;
  readonly #options: ClusterIngressShimOptions;
  readonly #caller: ApiCaller;
  readonly #watches: RunningWatch[] = [];
  /** Certificates this watcher applied per Ingress, which the read model may not show yet. */
  readonly #made = new Map<string, Set<string>>();
  /** Ingress changes are carried out one at a time, in the order the cluster reported them. */
  #work: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(target: string, spec: KubernetesTargetSpec, options: ClusterIngressShimOptions) {
    this.#target = target;
    this.spec = spec;
    this.#options = options;
    const actor = `service:intake/ingress-shim:${target}`;
    this.#caller = { actor, identities: [actor] };
  }

  start(): void {
    const { context, clusterResourceNamespace, logger } = this.#options;
    kubeConfigForTarget(
      { runner: context.runner, kek: context.kek, clusterResourceNamespace },
      this.#target,
      this.spec,
    ).then(
      (kubeConfig) => this.#watch(kubeConfig),
      (error: unknown) =>
        // Fixed by a new kubeconfig Secret, whose change restarts this watcher.
        logger.warn("ingress-shim cannot reach the cluster of SecretTarget", { target: this.#target, error }),
    );
  }

  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.#work) {
      seen = this.#work;
      await seen;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const watch of this.#watches) watch.stop();
    await this.#work;
  }

  #watch(kubeConfig: KubeConfig): void {
    if (this.#stopped) return;
    const api = kubeConfig.makeApiClient(NetworkingV1Api);
    const { clock, logger } = this.#options;
    // Named namespaces are watched one by one, so a Role in each is enough (no cluster-wide list).
    const scopes: readonly (string | undefined)[] = this.spec.ingressShim?.namespaces ?? [undefined];
    for (const namespace of scopes) {
      this.#watches.push(
        listAndWatch<V1Ingress>({
          kubeConfig,
          path:
            namespace === undefined
              ? "/apis/networking.k8s.io/v1/ingresses"
              : `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`,
          list: () =>
            namespace === undefined
              ? api.listIngressForAllNamespaces()
              : api.listNamespacedIngress({ namespace }),
          onListed: (items) => this.#enqueue(() => this.#relisted(namespace, items)),
          onChanged: (phase, ingress) =>
            this.#enqueue(() =>
              this.#sync(sourceOf(ingress, this.#target), phase === "DELETED" ? undefined : ingress),
            ),
          logger,
          subject: `Ingresses of SecretTarget ${this.#target}${namespace === undefined ? "" : ` in ${namespace}`}`,
          pause: (signal) => clock.sleepUntil(new Date(clock.now().getTime() + WATCH_PAUSE_MS), signal),
        }),
      );
    }
  }

  #enqueue(work: () => Promise<void>): void {
    this.#work = this.#work.then(async () => {
      if (this.#stopped) return;
      try {
        await work();
      } catch (error) {
        // The next relist brings the same Ingress round again.
        this.#options.logger.warn("ingress-shim sync failed", { target: this.#target, error });
      }
    });
  }

  /** Every listed Ingress is synced; Certificates of Ingresses no longer listed are deleted. */
  async #relisted(namespace: string | undefined, items: readonly V1Ingress[]): Promise<void> {
    const listed = new Set<string>();
    for (const ingress of items) {
      const source = sourceOf(ingress, this.#target);
      listed.add(keyOf(source));
      await this.#sync(source, ingress);
    }
    for (const source of this.#knownSources(namespace)) {
      if (!listed.has(keyOf(source))) await this.#sync(source, undefined);
    }
  }

  /** The Ingresses of this cluster that Certificates in the store (or just written) were made from. */
  #knownSources(namespace: string | undefined): IngressSource[] {
    const keys = new Set(this.#made.keys());
    for (const [, state] of this.#options.context.readModel.certificates.entries()) {
      const annotations = state.status === "active" ? (state.meta.annotations ?? {}) : {};
      const from = annotations[ingressSourceAnnotation];
      if (from !== undefined && annotations[ingressClusterAnnotation] === this.#target) keys.add(from);
    }
    return [...keys]
      .map((key) => {
        const [ns = "", name = ""] = key.split("/");
        return { namespace: ns, name, cluster: this.#target };
      })
      .filter((source) => namespace === undefined || source.namespace === namespace);
  }

  /** `ingress` undefined: it is gone, and so are the Certificates made from it. */
  async #sync(source: IngressSource, ingress: V1Ingress | undefined): Promise<void> {
    if (ingress !== undefined && !ingressNamesIssuer(ingress as IngressLike)) return;
    const { logger, context } = this.#options;
    let implied: ReturnType<typeof certificatesForIngress> = [];
    if (ingress !== undefined) {
      try {
        implied = certificatesForIngress(ingress as IngressLike, { cluster: this.#target });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        // cert-manager records this as a BadConfig event on the Ingress and changes nothing.
        logger.warn(
          `${describeIngressSource(source)} is not valid for the ingress-shim; its Certificates are left as they are`,
          {
            target: this.#target,
            issues: error.issues,
          },
        );
        return;
      }
    }
    const key = keyOf(source);
    const plan = await planSync(context, source, implied, this.#made.get(key) ?? []);
    for (const conflict of plan.conflicts) logger.warn(conflict.message, { target: this.#target });
    const results = await this.#carryOut(source, plan);
    const made = new Set(this.#made.get(key) ?? []);
    for (const result of results) {
      if (result.outcome === "pruned") made.delete(result.name);
      else made.add(result.name);
    }
    if (made.size === 0) this.#made.delete(key);
    else this.#made.set(key, made);
  }

  async #carryOut(source: IngressSource, plan: IngressSyncPlan): Promise<ApplyResult[]> {
    const { context } = this.#options;
    const applied =
      plan.apply.length === 0
        ? []
        : (
            await apply(
              context,
              {
                // JSON is YAML: apply stays the one path every Certificate enters by.
                manifests: plan.apply.map((certificate) => JSON.stringify(certificate)).join("\n---\n"),
                defaultNamespace: source.namespace,
              },
              this.#caller,
            )
          ).results;
    return [...applied, ...(await pruneCertificates(context, source.namespace, plan, this.#caller))];
  }
}

function sourceOf(ingress: V1Ingress, cluster: string): IngressSource {
  return { namespace: ingress.metadata?.namespace ?? "default", name: ingress.metadata?.name ?? "", cluster };
}

const keyOf = (source: IngressSource) => `${source.namespace}/${source.name}`;
