// cert-manager.io/v1 Issuer and ClusterIssuer (model §3): one spec shape, two scopes.
import { z } from "zod";
import { acmeChallengeSolverSchema } from "./acme-solver.ts";
import { conditionSchema } from "./condition.ts";
import { objectMetaSchema } from "./object-meta.ts";
import {
  base64BytesSchema,
  localObjectReferenceSchema,
  secretKeySelectorSchema,
  serviceAccountRefSchema,
} from "./references.ts";

const acmeIssuerSchema = z.strictObject({
  server: z.string(),
  email: z.string().optional(),
  privateKeySecretRef: secretKeySelectorSchema,
  skipTLSVerify: z.boolean().optional(),
  caBundle: base64BytesSchema.optional(),
  externalAccountBinding: z
    .strictObject({
      keyID: z.string(),
      keySecretRef: z.strictObject({ name: z.string(), key: z.string() }),
      keyAlgorithm: z.enum(["HS256", "HS384", "HS512"]).optional(),
    })
    .optional(),
  preferredChain: z.string().optional(),
  enableDurationFeature: z.boolean().optional(),
  profile: z.string().optional(),
  renewalInformationSource: z.enum(["ARI", "None"]).optional(),
  disableAccountKeyGeneration: z.boolean().optional(),
  solvers: z.array(acmeChallengeSolverSchema).optional(),
});

const caIssuerSchema = z.strictObject({
  secretName: z.string(),
  crlDistributionPoints: z.array(z.string()).optional(),
  ocspServers: z.array(z.string()).optional(),
  issuingCertificateURLs: z.array(z.string()).optional(),
});

const selfSignedIssuerSchema = z.strictObject({ crlDistributionPoints: z.array(z.string()).optional() });

const vaultAuthSchema = z.strictObject({
  tokenSecretRef: secretKeySelectorSchema.optional(),
  appRole: z
    .strictObject({ path: z.string(), roleId: z.string(), secretRef: secretKeySelectorSchema })
    .optional(),
  clientCertificate: z
    .strictObject({
      mountPath: z.string().optional(),
      secretName: z.string().optional(),
      name: z.string().optional(),
    })
    .optional(),
  kubernetes: z
    .strictObject({
      mountPath: z.string().optional(),
      role: z.string(),
      secretRef: secretKeySelectorSchema.optional(),
      serviceAccountRef: serviceAccountRefSchema.optional(),
    })
    .optional(),
  aws: z
    .strictObject({
      mountPath: z.string().optional(),
      role: z.string(),
      region: z.string().optional(),
      serviceAccountRef: serviceAccountRefSchema.optional(),
      iamRoleArn: z.string().optional(),
      vaultHeaderValue: z.string().optional(),
    })
    .optional(),
});

const vaultIssuerSchema = z.strictObject({
  server: z.string(),
  path: z.string(),
  serverName: z.string().optional(),
  namespace: z.string().optional(),
  caBundle: base64BytesSchema.optional(),
  caBundleSecretRef: secretKeySelectorSchema.optional(),
  clientCertSecretRef: secretKeySelectorSchema.optional(),
  clientKeySecretRef: secretKeySelectorSchema.optional(),
  auth: vaultAuthSchema,
});

const venafiIssuerSchema = z.strictObject({
  zone: z.string(),
  tpp: z
    .strictObject({
      url: z.string(),
      credentialsRef: localObjectReferenceSchema.optional(),
      caBundle: base64BytesSchema.optional(),
      caBundleSecretRef: secretKeySelectorSchema.optional(),
    })
    .optional(),
  cloud: z
    .strictObject({ url: z.string().optional(), apiTokenSecretRef: secretKeySelectorSchema })
    .optional(),
  ngts: z
    .strictObject({
      url: z.string().optional(),
      tokenEndpoint: z.string().optional(),
      tsgID: z.string(),
      credentialsRef: localObjectReferenceSchema,
    })
    .optional(),
});

export const issuerSpecSchema = z.strictObject({
  acme: acmeIssuerSchema.optional(),
  ca: caIssuerSchema.optional(),
  selfSigned: selfSignedIssuerSchema.optional(),
  vault: vaultIssuerSchema.optional(),
  venafi: venafiIssuerSchema.optional(),
});

export const issuerStatusSchema = z.strictObject({
  conditions: z.array(conditionSchema).optional(),
  acme: z
    .strictObject({
      uri: z.string().optional(),
      lastRegisteredEmail: z.string().optional(),
      lastPrivateKeyHash: z.string().optional(),
    })
    .optional(),
});

export const issuerSchema = z.strictObject({
  apiVersion: z.literal("cert-manager.io/v1"),
  kind: z.literal("Issuer"),
  metadata: objectMetaSchema,
  spec: issuerSpecSchema,
  status: issuerStatusSchema.optional(),
});

export const clusterIssuerSchema = z.strictObject({
  apiVersion: z.literal("cert-manager.io/v1"),
  kind: z.literal("ClusterIssuer"),
  metadata: objectMetaSchema,
  spec: issuerSpecSchema,
  status: issuerStatusSchema.optional(),
});

export type IssuerSpec = z.infer<typeof issuerSpecSchema>;
export type IssuerStatus = z.infer<typeof issuerStatusSchema>;
export type AcmeIssuer = z.infer<typeof acmeIssuerSchema>;
export type CaIssuer = z.infer<typeof caIssuerSchema>;
export type SelfSignedIssuer = z.infer<typeof selfSignedIssuerSchema>;
export type VaultIssuer = z.infer<typeof vaultIssuerSchema>;
export type VenafiIssuer = z.infer<typeof venafiIssuerSchema>;
export type Issuer = z.infer<typeof issuerSchema>;
export type ClusterIssuer = z.infer<typeof clusterIssuerSchema>;
/** The issuer types in cert-manager's own order, which decides who "may not specify more than one". */
export const issuerTypes = ["acme", "ca", "selfSigned", "vault", "venafi"] as const;
export type IssuerType = (typeof issuerTypes)[number];
