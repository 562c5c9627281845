import type { NatsKVTargetSpec, SecretTarget } from "../resources/secret-target.ts";
import { defaultNatsKVPrivateKeys, secretTargetTypes } from "../resources/secret-target.ts";
import { dns1123LabelProblems, dns1123SubdomainProblems } from "./names.ts";
import type { PolicyCheck } from "./policy-check.ts";

const VAULT_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

const namespaceListIssues = (field: string, namespaces: readonly string[] | undefined) =>
  (namespaces ?? []).flatMap((namespace, index) =>
    dns1123LabelProblems(namespace).map((message) => ({ field: `${field}[${index}]`, message })),
  );

// NATS' own rules (nats.js kv validateBucket): a bucket name is one subject token.
const BUCKET = /^[-_a-zA-Z0-9]+$/;
const PUBLIC_KEY_PEM = /^\s*-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

function natsServerProblem(server: string): string | undefined {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return `"${server}" is not a URL: write nats://host:4222 or tls://host:4222`;
  }
  if (url.protocol !== "nats:" && url.protocol !== "tls:") {
    return `scheme ${url.protocol.slice(0, -1)} is not supported: use nats:// or tls://`;
  }
  if (url.hostname === "") return "must name a host: nats://host:4222";
  // A spec is stored and shown in plaintext; only a Secret is sealed at rest.
  if (url.username !== "" || url.password !== "") {
    return "must not carry credentials: put them in the Secret spec.natsKV.credentialsSecretRef names";
  }
  return undefined;
}

function natsKVIssues(natsKV: NatsKVTargetSpec) {
  const field = "spec.natsKV";
  const sealed = (natsKV.privateKeys ?? defaultNatsKVPrivateKeys) === "Sealed";
  const publicKey = natsKV.recipient?.publicKey;
  return [
    ...(BUCKET.test(natsKV.bucket)
      ? []
      : [
          {
            field: `${field}.bucket`,
            message:
              "a NATS KV bucket name consists of letters, digits, '-' and '_' (regex '^[-_a-zA-Z0-9]+$')",
          },
        ]),
    ...(natsKV.servers.length === 0
      ? [{ field: `${field}.servers`, message: "must name at least one NATS server URL" }]
      : []),
    ...natsKV.servers.flatMap((server, index) => {
      const problem = natsServerProblem(server);
      return problem === undefined ? [] : [{ field: `${field}.servers[${index}]`, message: problem }];
    }),
    ...(natsKV.credentialsSecretRef === undefined
      ? []
      : dns1123SubdomainProblems(natsKV.credentialsSecretRef.name).map((message) => ({
          field: `${field}.credentialsSecretRef.name`,
          message,
        }))),
    ...(sealed && publicKey === undefined
      ? [
          {
            field: `${field}.recipient`,
            message:
              "Required value: private keys are sealed (privateKeys: Sealed is the default) to the consumers' " +
              "public key; set recipient.publicKey, or privateKeys: Plaintext to store them unsealed",
          },
        ]
      : []),
    ...(!sealed && publicKey !== undefined
      ? [
          {
            field: `${field}.recipient`,
            message: "is only used when privateKeys is Sealed; remove it or remove privateKeys: Plaintext",
          },
        ]
      : []),
    // Never echo the value: someone may have pasted the private key here.
    ...(publicKey === undefined || PUBLIC_KEY_PEM.test(publicKey)
      ? []
      : [
          {
            field: `${field}.recipient.publicKey`,
            message: publicKey.includes("PRIVATE KEY")
              ? "holds a private key: give the public key (openssl pkey -pubout); the consumers keep the private key"
              : 'must be one PEM block "-----BEGIN PUBLIC KEY-----" (SubjectPublicKeyInfo)',
          },
        ]),
  ];
}

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
        ...namespaceListIssues("spec.kubernetes.ingressShim.namespaces", kubernetes.ingressShim?.namespaces),
      ];
    },
  },
  {
    name: "vaultKVTarget",
    check: ({ spec: { vaultKV } }) => {
      if (vaultKV === undefined) return [];
      const field = "spec.vaultKV";
      const pathIssue = (name: "mount" | "prefix") => {
        const value = vaultKV[name];
        return value === undefined ||
          (VAULT_PATH.test(value) && !value.split("/").some((part) => part === "." || part === ".."))
          ? []
          : [
              {
                field: `${field}.${name}`,
                message:
                  'must be a Vault path of letters, digits, "_", "-" and "." without leading or trailing "/"',
              },
            ];
      };
      return [
        ...(/^https?:\/\/[^/]/.test(vaultKV.server) && URL.canParse(vaultKV.server)
          ? []
          : [
              { field: `${field}.server`, message: "must be an http:// or https:// URL of the Vault server" },
            ]),
        ...pathIssue("mount"),
        ...pathIssue("prefix"),
        ...dns1123SubdomainProblems(vaultKV.tokenSecretRef.name).map((message) => ({
          field: `${field}.tokenSecretRef.name`,
          message,
        })),
        ...(vaultKV.tokenSecretRef.key === ""
          ? [{ field: `${field}.tokenSecretRef.key`, message: "must not be empty" }]
          : []),
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
  {
    name: "natsKVTarget",
    check: ({ spec: { natsKV } }) => (natsKV === undefined ? [] : natsKVIssues(natsKV)),
  },
];
