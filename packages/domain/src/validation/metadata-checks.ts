import { type Resource, resourceKinds } from "../resources/resource.ts";
import { dns1123LabelProblems, dns1123SubdomainProblems } from "./names.ts";
import type { PolicyCheck } from "./policy-check.ts";

export const metadataChecks: readonly PolicyCheck<Resource>[] = [
  {
    name: "nameMissing",
    check: ({ metadata }) =>
      metadata.name === "" ? [{ field: "metadata.name", message: "name or generateName is required" }] : [],
  },
  {
    name: "nameNotDns1123",
    check: ({ kind, metadata: { name } }) => {
      if (name === "") return [];
      // Namespaces are themselves DNS labels; every other kind here is named by a subdomain.
      const problems = kind === "Namespace" ? dns1123LabelProblems(name) : dns1123SubdomainProblems(name);
      return problems.map((message) => ({ field: "metadata.name", message }));
    },
  },
  {
    name: "namespaceNotDns1123Label",
    check: ({ metadata: { namespace } }) =>
      namespace === undefined
        ? []
        : dns1123LabelProblems(namespace).map((message) => ({ field: "metadata.namespace", message })),
  },
  {
    name: "namespaceOnClusterScopedKind",
    check: ({ kind, metadata: { namespace } }) =>
      namespace !== undefined && !resourceKinds[kind].namespaced
        ? [{ field: "metadata.namespace", message: `${kind} is cluster-scoped and takes no namespace` }]
        : [],
  },
];
