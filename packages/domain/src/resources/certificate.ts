// cert-manager.io/v1 Certificate (model §1). Fields the webhook judges (usages, sizes, durations)
// are loosely typed here and checked in ../validation so that users get cert-manager's messages.
import { z } from "zod";
import { conditionSchema, timestampSchema } from "./condition.ts";
import { objectMetaSchema, stringMap } from "./object-meta.ts";
import { goDurationSchema, issuerReferenceSchema, secretKeySelectorSchema } from "./references.ts";

export const privateKeyAlgorithms = ["RSA", "ECDSA", "Ed25519"] as const;
export type PrivateKeyAlgorithm = (typeof privateKeyAlgorithms)[number];
export type PrivateKeyEncoding = "PKCS1" | "PKCS8";
export type PrivateKeyRotationPolicy = "Never" | "Always";

export const signatureAlgorithms = [
  "SHA256WithRSA",
  "SHA384WithRSA",
  "SHA512WithRSA",
  "ECDSAWithSHA256",
  "ECDSAWithSHA384",
  "ECDSAWithSHA512",
  "PureEd25519",
] as const;
export type SignatureAlgorithm = (typeof signatureAlgorithms)[number];

export const keyUsages = [
  "signing",
  "digital signature",
  "content commitment",
  "key encipherment",
  "key agreement",
  "data encipherment",
  "cert sign",
  "crl sign",
  "encipher only",
  "decipher only",
  "any",
  "server auth",
  "client auth",
  "code signing",
  "email protection",
  "s/mime",
  "ipsec end system",
  "ipsec tunnel",
  "ipsec user",
  "timestamping",
  "ocsp signing",
  "microsoft sgc",
  "netscape sgc",
] as const;
export type KeyUsage = (typeof keyUsages)[number];

export function isKeyUsage(value: string): value is KeyUsage {
  return (keyUsages as readonly string[]).includes(value);
}

const privateKeySchema = z.strictObject({
  algorithm: z.enum(privateKeyAlgorithms).optional(),
  size: z.number().int().optional(),
  encoding: z.enum(["PKCS1", "PKCS8"]).optional(),
  rotationPolicy: z.enum(["Never", "Always"]).optional(),
});

const subjectSchema = z.strictObject({
  organizations: z.array(z.string()).optional(),
  countries: z.array(z.string()).optional(),
  organizationalUnits: z.array(z.string()).optional(),
  localities: z.array(z.string()).optional(),
  provinces: z.array(z.string()).optional(),
  streetAddresses: z.array(z.string()).optional(),
  postalCodes: z.array(z.string()).optional(),
  serialNumber: z.string().optional(),
});

const renewalWindowSchema = z.strictObject({
  cron: z.string().min(1),
  // The CRD pattern: positive, unit-suffixed, no sign.
  windowDuration: z.string().regex(/^([0-9]+(\.[0-9]+)?(s|m|h))+$/, {
    message: "must be a positive duration like 2h or 1h30m",
  }),
  timezone: z.string().optional(),
});

const renewalSchema = z.strictObject({
  policy: z.enum(["RenewBefore", "Disabled"]).optional(),
  windows: z.array(renewalWindowSchema).optional(),
});

const keystorePasswordFields = {
  passwordSecretRef: secretKeySelectorSchema.optional(),
  password: z.string().optional(),
};

const keystoresSchema = z.strictObject({
  jks: z
    .strictObject({ create: z.boolean(), alias: z.string().optional(), ...keystorePasswordFields })
    .optional(),
  pkcs12: z
    .strictObject({
      create: z.boolean(),
      profile: z.enum(["LegacyRC2", "LegacyDES", "Modern2023", "Modern2026"]).optional(),
      ...keystorePasswordFields,
    })
    .optional(),
});

const nameConstraintItemsSchema = z.strictObject({
  dnsDomains: z.array(z.string()).optional(),
  ipRanges: z.array(z.string()).optional(),
  emailAddresses: z.array(z.string()).optional(),
  uriDomains: z.array(z.string()).optional(),
});

export const certificateSpecSchema = z.strictObject({
  secretName: z.string(),
  issuerRef: issuerReferenceSchema,
  commonName: z.string().optional(),
  literalSubject: z.string().optional(),
  subject: subjectSchema.optional(),
  dnsNames: z.array(z.string()).optional(),
  ipAddresses: z.array(z.string()).optional(),
  uris: z.array(z.string()).optional(),
  emailAddresses: z.array(z.string()).optional(),
  otherNames: z
    .array(z.strictObject({ oid: z.string().optional(), utf8Value: z.string().optional() }))
    .optional(),
  duration: goDurationSchema.optional(),
  renewBefore: goDurationSchema.optional(),
  renewBeforePercentage: z.number().int().optional(),
  renewal: renewalSchema.optional(),
  privateKey: privateKeySchema.optional(),
  signatureAlgorithm: z.enum(signatureAlgorithms).optional(),
  isCA: z.boolean().optional(),
  usages: z.array(z.string()).optional(),
  encodeUsagesInRequest: z.boolean().optional(),
  revisionHistoryLimit: z.number().int().optional(),
  secretTemplate: z
    .strictObject({ annotations: stringMap.optional(), labels: stringMap.optional() })
    .optional(),
  keystores: keystoresSchema.optional(),
  additionalOutputFormats: z.array(z.strictObject({ type: z.enum(["DER", "CombinedPEM"]) })).optional(),
  nameConstraints: z
    .strictObject({
      critical: z.boolean().optional(),
      permitted: nameConstraintItemsSchema.optional(),
      excluded: nameConstraintItemsSchema.optional(),
    })
    .optional(),
});

export const certificateStatusSchema = z.strictObject({
  conditions: z.array(conditionSchema).optional(),
  notBefore: timestampSchema.optional(),
  notAfter: timestampSchema.optional(),
  renewalTime: timestampSchema.optional(),
  revision: z.number().int().positive().optional(),
  nextPrivateKeySecretName: z.string().optional(),
  lastFailureTime: timestampSchema.optional(),
  failedIssuanceAttempts: z.number().int().nonnegative().optional(),
  acme: z
    .strictObject({
      ari: z
        .strictObject({
          suggestedWindow: z.strictObject({ start: timestampSchema, end: timestampSchema }).optional(),
          explanationURL: z.string().optional(),
          lastChecked: timestampSchema.optional(),
          nextCheck: timestampSchema.optional(),
          lastError: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});

export const certificateSchema = z.strictObject({
  apiVersion: z.literal("cert-manager.io/v1"),
  kind: z.literal("Certificate"),
  metadata: objectMetaSchema,
  spec: certificateSpecSchema,
  status: certificateStatusSchema.optional(),
});

export type CertificateSpec = z.infer<typeof certificateSpecSchema>;
export type CertificateStatus = z.infer<typeof certificateStatusSchema>;
export type Certificate = z.infer<typeof certificateSchema>;
export type CertificatePrivateKey = z.infer<typeof privateKeySchema>;
export type CertificateRenewal = z.infer<typeof renewalSchema>;
export type RenewalWindow = z.infer<typeof renewalWindowSchema>;
export type X509Subject = z.infer<typeof subjectSchema>;
export type NameConstraintItems = z.infer<typeof nameConstraintItemsSchema>;
