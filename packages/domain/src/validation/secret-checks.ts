import type { Secret } from "../resources/core.ts";
import type { PolicyCheck } from "./policy-check.ts";

const TLS_KEYS = ["tls.crt", "tls.key"] as const;

/** Kubernetes itself refuses a `kubernetes.io/tls` Secret without both halves of the pair. */
export const secretChecks: readonly PolicyCheck<Secret>[] = [
  {
    name: "tlsSecretKeyMissing",
    check: ({ type, data, stringData }) =>
      type !== "kubernetes.io/tls"
        ? []
        : TLS_KEYS.filter((key) => data?.[key] === undefined && stringData?.[key] === undefined).map(
            (key) => ({
              field: `data[${key}]`,
              message: "must be present in a kubernetes.io/tls Secret",
            }),
          ),
  },
];
