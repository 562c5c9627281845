// Label keys and values as the kube-apiserver refuses them (ValidateLabels): labels select
// SecretTargets and are copied onto published Secrets, so one Kubernetes would refuse must not be
// stored, and a NUL byte or newline in one must not reach logs and selectors. Annotation values
// are free text in Kubernetes too, and stay so.
import type { Resource } from "../resources/resource.ts";
import { labelValueProblems, qualifiedNameProblems } from "./label-syntax.ts";
import type { PolicyCheck } from "./policy-check.ts";

export const metadataLabelChecks: readonly PolicyCheck<Resource>[] = [
  {
    name: "labelInvalid",
    check: ({ metadata: { labels } }) =>
      Object.entries(labels ?? {}).flatMap(([key, value]) => [
        ...qualifiedNameProblems(key).map((message) => ({
          field: `metadata.labels`,
          message: `key ${JSON.stringify(key)}: ${message}`,
        })),
        ...labelValueProblems(value).map((message) => ({ field: `metadata.labels[${key}]`, message })),
      ]),
  },
  {
    name: "annotationKeyInvalid",
    check: ({ metadata: { annotations } }) =>
      Object.keys(annotations ?? {}).flatMap((key) =>
        qualifiedNameProblems(key).map((message) => ({
          field: "metadata.annotations",
          message: `key ${JSON.stringify(key)}: ${message}`,
        })),
      ),
  },
];
