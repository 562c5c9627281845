import {
  AuthorizationV1Api,
  CoreV1Api,
  type KubeConfig,
  RbacAuthorizationV1Api,
} from "@kubernetes/client-node";
import { pollUntil } from "../poll-until.ts";

export interface RestrictedTokenOptions {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Verbs allowed on `resource` in `namespace`, for example `["get", "patch", "delete"]`. */
  readonly verbs: readonly string[];
  /**
   * A core-group resource, optionally with its subresource (`serviceaccounts/token`, what a
   * TokenRequest needs `create` on). Default `secrets`.
   */
  readonly resource?: string;
  /** Limits the rule to these object names (RBAC resourceNames); every object when absent. */
  readonly resourceNames?: readonly string[];
  /** Default one hour. */
  readonly expirationSeconds?: number;
}

export interface AdminKubeAccess {
  createNamespace(name: string): Promise<void>;
  restrictedToken(options: RestrictedTokenOptions): Promise<string>;
}

/** What a test does as the cluster admin to set up namespaces and least-privilege credentials. */
export function adminKubeAccess(admin: KubeConfig, audience: string): AdminKubeAccess {
  const core = admin.makeApiClient(CoreV1Api);
  const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  const authorization = admin.makeApiClient(AuthorizationV1Api);

  return {
    async createNamespace(name) {
      await core.createNamespace({ body: { metadata: { name } } });
    },

    async restrictedToken({
      namespace,
      serviceAccount,
      verbs,
      expirationSeconds = 3600,
      resource = "secrets",
      resourceNames,
    }) {
      const roleName = `${serviceAccount}-${resource.replace(/\//g, "-")}`;
      const [resourceName = resource, subresource] = resource.split("/");
      await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: serviceAccount } } });
      await rbac.createNamespacedRole({
        namespace,
        body: {
          metadata: { name: roleName },
          rules: [
            {
              apiGroups: [""],
              resources: [resource],
              verbs: [...verbs],
              ...(resourceNames ? { resourceNames: [...resourceNames] } : {}),
            },
          ],
        },
      });
      await rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name: roleName },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
          subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace }],
        },
      });
      // The RBAC authorizer reads bindings from an informer, so a new binding takes effect a moment
      // later; a SubjectAccessReview asks that same authorizer.
      const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
      await pollUntil(
        async () => {
          const review = await authorization.createSubjectAccessReview({
            body: {
              spec: {
                user,
                groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`],
                resourceAttributes: {
                  namespace,
                  verb: verbs[0] ?? "get",
                  resource: resourceName,
                  ...(subresource ? { subresource } : {}),
                  ...(resourceNames?.[0] ? { name: resourceNames[0] } : {}),
                },
              },
            },
          });
          return review.status?.allowed === true;
        },
        { what: `the RoleBinding of ${user} to take effect`, timeoutMs: 10_000, intervalMs: 20 },
      );
      const request = await core.createNamespacedServiceAccountToken({
        namespace,
        name: serviceAccount,
        body: { spec: { audiences: [audience], expirationSeconds } },
      });
      const token = request.status?.token;
      if (!token) throw new Error(`TokenRequest for ${user} returned no token`);
      return token;
    },
  };
}
