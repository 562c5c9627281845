import { AlreadyExistsError, ForbiddenError, ValidationError } from "@certplane/domain";
import { inSpan, SpanKind } from "@certplane/telemetry";
import {
  AuthorizationV1Api,
  CoreV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Secret,
} from "@kubernetes/client-node";
import { assertSecretRef, PerSecretQueue } from "../secrets/secret-ref-rules.ts";
import type { PublishedSecret, SecretRef, SecretTarget, WriteReceipt } from "../secrets/secret-target.ts";
import { valueBytes } from "../secrets/secret-values.ts";
import {
  type KubernetesCall,
  KubernetesRefusedError,
  translateKubernetesError,
} from "./kubernetes-errors.ts";

// Secrets are written by server-side apply under one field manager. Applying the full set of
// fields every time makes the API server drop what certplane applied before and no longer sends
// (a key gone from `data`, a label removed), while fields other managers own (a label someone
// added with kubectl) stay theirs.

export const FIELD_MANAGER = "certplane";

// The marker that tells certplane's Secrets from everyone else's. The owner, a certplane resource,
// is not an object of the target cluster, so an ownerReference (and garbage collection by it) is
// impossible; a label lets people and certplane select its Secrets
// (`kubectl get secrets -l app.kubernetes.io/managed-by=certplane`), and annotations, whose values
// may hold slashes, name the publishing resource and its uid (a Certificate deleted and created
// again under the same name has a new uid).
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "certplane";
export const OWNER_ANNOTATION = "certplane.io/owner";
export const OWNER_UID_ANNOTATION = "certplane.io/owner-uid";

const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const APPLY = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

export interface KubernetesSecretTargetOptions {
  readonly kubeConfig: KubeConfig;
  /** The SecretTarget's name, for messages. */
  readonly name: string;
  /** The namespace in the cluster a Secret from `sourceNamespace` is written to; default the same. */
  readonly namespaceFor?: (sourceNamespace: string) => string;
  /** The namespaces `probe` checks permissions in; "" means all namespaces. Default: all. */
  readonly probeNamespaces?: readonly string[];
  /** The verbs on secrets `probe` checks. Default: get and patch, what `write` needs. */
  readonly verbs?: readonly string[];
}

/** The Secret exists in the cluster but certplane did not create it; certplane leaves it alone. */
export class ForeignSecretError extends AlreadyExistsError {
  readonly cluster: string;
  readonly namespace: string;
  readonly secretName: string;

  constructor(cluster: string, ref: SecretRef) {
    super(
      `Secret ${ref.namespace}/${ref.name} in cluster ${cluster} exists and was not created by certplane; ` +
        "certplane leaves it untouched: delete it or choose another secretName",
      { field: "spec.secretName" },
    );
    this.cluster = cluster;
    this.namespace = ref.namespace;
    this.secretName = ref.name;
  }
}

export function isManagedByCertplane(secret: V1Secret): boolean {
  return secret.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/** Writes certplane's Secrets into one Kubernetes cluster (kind `kubernetes.io/tls` or as published). */
export class KubernetesSecretTarget implements SecretTarget {
  readonly kind = "kubernetes";
  readonly #name: string;
  readonly #core: CoreV1Api;
  /** The API server, for the spans of its calls. */
  readonly #server: string;
  readonly #authorization: AuthorizationV1Api;
  readonly #namespaceFor: (sourceNamespace: string) => string;
  readonly #probeNamespaces: readonly string[];
  readonly #verbs: readonly string[];
  readonly #queue = new PerSecretQueue();

  constructor(options: KubernetesSecretTargetOptions) {
    this.#name = options.name;
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.#server = options.kubeConfig.getCurrentCluster()?.server ?? "https://kubernetes.invalid";
    this.#authorization = options.kubeConfig.makeApiClient(AuthorizationV1Api);
    this.#namespaceFor = options.namespaceFor ?? ((namespace) => namespace);
    this.#probeNamespaces = options.probeNamespaces ?? [""];
    this.#verbs = options.verbs ?? ["get", "patch"];
  }

  /**
   * Asks the API server, as the kubeconfig's user, whether it may do what publishing needs
   * (SelfSubjectAccessReview, which every authenticated user may create): a bad token, an
   * unreachable server, a TLS failure or a missing RBAC rule shows here before any Secret is due.
   */
  async probe(): Promise<void> {
    const missing: string[] = [];
    for (const namespace of this.#probeNamespaces) {
      for (const verb of this.#verbs) {
        const review = await this.#call(
          "create",
          { namespace: namespace || "(all)", name: "selfsubjectaccessreviews" },
          () =>
            this.#authorization.createSelfSubjectAccessReview({
              body: {
                spec: {
                  resourceAttributes: { verb, resource: "secrets", ...(namespace ? { namespace } : {}) },
                },
              },
            }),
        );
        if (review.status?.allowed !== true)
          missing.push(`"${verb}" secrets ${namespace ? `in namespace ${namespace}` : "in all namespaces"}`);
      }
    }
    if (missing.length > 0) {
      throw new ForbiddenError(
        `cluster ${this.#name}: the kubeconfig's user may not ${missing.join(", ")}; grant them with a ` +
          `Role (apiGroups [""], resources ["secrets"], verbs [${this.#verbs.map((v) => `"${v}"`).join(", ")}]) ` +
          "and a RoleBinding in each namespace, or a ClusterRole when the target writes to every namespace",
      );
    }
  }

  async write(secret: PublishedSecret): Promise<WriteReceipt> {
    assertSecretRef(secret);
    const ref = this.#destination(secret);
    const body = secretOf(ref, secret);
    let receipt: WriteReceipt = {};
    await this.#queue.run(ref, async () => {
      const current = await this.#read(ref);
      if (current !== undefined && !isManagedByCertplane(current))
        throw new ForeignSecretError(this.#name, ref);
      // With the resourceVersion just read the apply is conditional: a Secret replaced between the
      // read and the apply is answered with 409 and checked again on retry. A Secret created by
      // someone else in that window cannot be excluded (apply has no "must not exist").
      const resourceVersion = current?.metadata?.resourceVersion;
      const applied = await this.#call("patch", ref, () =>
        this.#core.patchNamespacedSecret(
          {
            namespace: ref.namespace,
            name: ref.name,
            body:
              resourceVersion === undefined
                ? body
                : { ...body, metadata: { ...body.metadata, resourceVersion } },
            fieldManager: FIELD_MANAGER,
            // Takes over fields another manager set on certplane's own Secret (kubectl edit of tls.crt).
            force: true,
          },
          APPLY,
        ),
      );
      const written = applied.metadata?.resourceVersion;
      receipt = written === undefined ? {} : { resourceVersion: written };
    });
    return receipt;
  }

  async delete(source: SecretRef): Promise<void> {
    assertSecretRef(source);
    const ref = this.#destination(source);
    await this.#queue.run(ref, async () => {
      const current = await this.#read(ref);
      if (current === undefined || !isManagedByCertplane(current)) return;
      const uid = current.metadata?.uid;
      await this.#call("delete", ref, () =>
        this.#core.deleteNamespacedSecret({
          namespace: ref.namespace,
          name: ref.name,
          // Deletes exactly the Secret that was checked, not one created since under the same name.
          body: uid === undefined ? {} : { preconditions: { uid } },
        }),
      ).catch((error: unknown) => {
        if (isStatus(error, 404)) return;
        throw error;
      });
    });
  }

  #destination(source: SecretRef): SecretRef {
    const ref = { namespace: this.#namespaceFor(source.namespace), name: source.name };
    if (ref.namespace !== source.namespace) assertSecretRef(ref);
    return ref;
  }

  async #read(ref: SecretRef): Promise<V1Secret | undefined> {
    try {
      return await this.#call("get", ref, () =>
        this.#core.readNamespacedSecret({ namespace: ref.namespace, name: ref.name }),
      );
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  /** One client span per API request, under the publication's span. */
  async #call<T>(verb: string, ref: SecretRef, run: () => Promise<T>): Promise<T> {
    const server = new URL(this.#server);
    return await inSpan(
      `kubernetes ${verb} secrets`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          "server.address": server.hostname,
          "server.port": Number(server.port || 443),
          "url.full": this.#server,
          "k8s.cluster.name": this.#name,
          "k8s.namespace.name": ref.namespace,
          "certplane.kubernetes.verb": verb,
        },
      },
      async () => {
        try {
          return await run();
        } catch (error) {
          const call: KubernetesCall = { cluster: this.#name, verb, resource: "secrets", ...ref };
          throw translateKubernetesError(error, call);
        }
      },
    );
  }
}

/** Whether the API server answered with `status` (errors are translated by then). */
function isStatus(error: unknown, status: number): boolean {
  return error instanceof KubernetesRefusedError && error.status === status;
}

/** The Secret certplane applies: every field it owns, nothing it does not. */
function secretOf(ref: SecretRef, secret: PublishedSecret): V1Secret & { metadata: object } {
  const data: Record<string, string> = {};
  for (const [key, value] of [...Object.entries(secret.data), ...Object.entries(secret.secretData)]) {
    if (!DATA_KEY.test(key) || key in data) {
      throw ValidationError.of(
        `data.${key}`,
        "dataKey",
        `secret key "${key}" is not a valid Kubernetes Secret key or appears twice`,
      );
    }
    data[key] = valueBytes(value).toString("base64");
  }
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { ...secret.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
      annotations: { ...secret.annotations, ...ownerAnnotations(secret) },
    },
    type: secret.type,
    data,
  };
}

/** `<kind>/<source namespace>/<name>`, and the owner's uid where it has one. */
function ownerAnnotations(secret: PublishedSecret): Record<string, string> {
  const { owner } = secret;
  const [name, uid] =
    owner.kind === "Certificate"
      ? [owner.name, owner.uid]
      : owner.kind === "NextPrivateKey"
        ? [owner.certificateName, owner.certificateUid]
        : [owner.kind === "User" ? owner.actor : owner.issuer, undefined];
  return {
    [OWNER_ANNOTATION]: `${owner.kind}/${secret.namespace}/${name}`,
    ...(uid === undefined ? {} : { [OWNER_UID_ANNOTATION]: uid }),
  };
}
