import type { SecretTarget } from "../resources/secret-target.ts";
import { secretTargetTypes } from "../resources/secret-target.ts";
import { dns1123LabelProblems, dns1123SubdomainProblems } from "./names.ts";
import type { PolicyCheck } from "./policy-check.ts";

const namespaceListIssues = (field: string, namespaces: readonly string[] | undefined) =>
  (namespaces ?? []).flatMap((namespace, index) =>
    dns1123LabelProblems(namespace).map((message) => ({ field: `${field}[${index}]`, message })),
  );

export const secretTargetChecks: readonly PolicyCheck<SecretTarget>[] = [
  {
    name: "exactlyOneTargetType",
    check: ({ spec }) => {
      const set = secretTargetTypes.filter((type) => spec[type] !== undefined);
      if (set.length === 1) return [];
      return [
        {
          field: "spec",
          message:
            set.length === 0
              ? `a SecretTarget must name one destination: one of ${secretTargetTypes.join(", ")}`
              : `a SecretTarget names one destination, got ${set.join(" and ")}: write one SecretTarget per destination`,
        },
      ];
    },
  },
  {
    name: "selectorNamespaces",
    check: ({ spec }) => namespaceListIssues("spec.selector.namespaces", spec.selector?.namespaces),
  },
  {
    name: "kubernetesTarget",
    check: ({ spec: { kubernetes } }) => {
      if (kubernetes === undefined) return [];
      const { name, key } = kubernetes.kubeconfigSecretRef;
      return [
        ...dns1123SubdomainProblems(name).map((message) => ({
          field: "spec.kubernetes.kubeconfigSecretRef.name",
          message,
        })),
        ...(key === ""
          ? [{ field: "spec.kubernetes.kubeconfigSecretRef.key", message: "must not be empty" }]
          : []),
        ...(kubernetes.namespaces?.length === 0
          ? [{ field: "spec.kubernetes.namespaces", message: "must name at least one namespace when set" }]
          : []),
        ...namespaceListIssues("spec.kubernetes.namespaces", kubernetes.namespaces),
      ];
    },
  },
  {
    name: "fileTarget",
    check: ({ spec: { file } }) =>
      file !== undefined && !file.directory.startsWith("/")
        ? [{ field: "spec.file.directory", message: "must be an absolute path" }]
        : [],
  },
];
