// acme.cert-manager.io solver configuration (model §3.5). Kubernetes core shapes embedded in pod
// templates (affinity, tolerations, resources …) are passed through as open objects: they belong to
// the Kubernetes API, not to certplane.
import { z } from "zod";
import { stringMap } from "./object-meta.ts";
import {
  goDurationSchema,
  localObjectReferenceSchema,
  secretKeySelectorSchema,
  serviceAccountRefSchema,
} from "./references.ts";

const openObject = z.record(z.string(), z.unknown());
const templateMetadataSchema = z.strictObject({
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
});

const podTemplateSchema = z.strictObject({
  metadata: templateMetadataSchema.optional(),
  spec: z
    .strictObject({
      nodeSelector: stringMap.optional(),
      affinity: openObject.optional(),
      tolerations: z.array(openObject).optional(),
      priorityClassName: z.string().optional(),
      serviceAccountName: z.string().optional(),
      imagePullSecrets: z.array(localObjectReferenceSchema).optional(),
      securityContext: openObject.optional(),
      resources: openObject.optional(),
    })
    .optional(),
});

// cert-manager accepts "" as well: the solver then uses its default, NodePort.
const serviceTypeSchema = z.enum(["", "ClusterIP", "NodePort"]);

const http01IngressSchema = z.strictObject({
  serviceType: serviceTypeSchema.optional(),
  ingressClassName: z.string().optional(),
  class: z.string().optional(),
  name: z.string().optional(),
  podTemplate: podTemplateSchema.optional(),
  ingressTemplate: z.strictObject({ metadata: templateMetadataSchema.optional() }).optional(),
});

const parentReferenceSchema = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string(),
  sectionName: z.string().optional(),
  port: z.number().int().optional(),
});

const http01GatewaySchema = z.strictObject({
  serviceType: serviceTypeSchema.optional(),
  labels: stringMap.optional(),
  parentRefs: z.array(parentReferenceSchema).optional(),
  podTemplate: podTemplateSchema.optional(),
});

const http01Schema = z.strictObject({
  ingress: http01IngressSchema.optional(),
  gatewayHTTPRoute: http01GatewaySchema.optional(),
});

const azureManagedIdentitySchema = z.strictObject({
  clientID: z.string().optional(),
  resourceID: z.string().optional(),
  tenantID: z.string().optional(),
});

const dns01ProviderSchemas = {
  acmeDNS: z.strictObject({ host: z.string(), accountSecretRef: secretKeySelectorSchema }),
  akamai: z.strictObject({
    serviceConsumerDomain: z.string(),
    clientTokenSecretRef: secretKeySelectorSchema,
    clientSecretSecretRef: secretKeySelectorSchema,
    accessTokenSecretRef: secretKeySelectorSchema,
  }),
  azureDNS: z.strictObject({
    clientID: z.string().optional(),
    clientSecretSecretRef: secretKeySelectorSchema.optional(),
    subscriptionID: z.string(),
    tenantID: z.string().optional(),
    resourceGroupName: z.string(),
    hostedZoneName: z.string().optional(),
    environment: z
      .enum(["AzurePublicCloud", "AzureChinaCloud", "AzureGermanCloud", "AzureUSGovernmentCloud"])
      .optional(),
    managedIdentity: azureManagedIdentitySchema.optional(),
    zoneType: z.enum(["AzurePublicZone", "AzurePrivateZone"]).optional(),
  }),
  cloudDNS: z.strictObject({
    project: z.string(),
    serviceAccountSecretRef: secretKeySelectorSchema.optional(),
    hostedZoneName: z.string().optional(),
  }),
  cloudflare: z.strictObject({
    email: z.string().optional(),
    apiKeySecretRef: secretKeySelectorSchema.optional(),
    apiTokenSecretRef: secretKeySelectorSchema.optional(),
  }),
  digitalocean: z.strictObject({ tokenSecretRef: secretKeySelectorSchema }),
  rfc2136: z.strictObject({
    nameserver: z.string(),
    tsigKeyName: z.string().optional(),
    tsigSecretSecretRef: secretKeySelectorSchema.optional(),
    // Case-insensitive in cert-manager, so not an enum here; the webhook check normalises it.
    tsigAlgorithm: z.string().optional(),
    protocol: z.enum(["UDP", "TCP"]).optional(),
  }),
  route53: z.strictObject({
    region: z.string().optional(),
    hostedZoneID: z.string().optional(),
    role: z.string().optional(),
    accessKeyID: z.string().optional(),
    accessKeyIDSecretRef: secretKeySelectorSchema.optional(),
    secretAccessKeySecretRef: secretKeySelectorSchema.optional(),
    auth: z
      .strictObject({ kubernetes: z.strictObject({ serviceAccountRef: serviceAccountRefSchema }) })
      .optional(),
  }),
  webhook: z.strictObject({ groupName: z.string(), solverName: z.string(), config: z.unknown().optional() }),
} as const;

export type Dns01ProviderName = keyof typeof dns01ProviderSchemas;
/** cert-manager's order when it reports "more than one provider": the first one set wins. */
/** The providers certplane's acme-solver can drive; the others are refused at admission, never dropped. */
export const implementedDns01Providers = [
  "acmeDNS",
  "azureDNS",
  "cloudDNS",
  "cloudflare",
  "digitalocean",
  "rfc2136",
  "route53",
  "webhook",
] as const satisfies readonly Dns01ProviderName[];

export const dns01ProviderNames = [
  "akamai",
  "azureDNS",
  "cloudDNS",
  "cloudflare",
  "route53",
  "acmeDNS",
  "digitalocean",
  "rfc2136",
  "webhook",
] as const satisfies readonly Dns01ProviderName[];

const dns01Schema = z.strictObject({
  cnameStrategy: z.enum(["None", "Follow"]).optional(),
  nameservers: z.array(z.string()).optional(),
  acmeDNS: dns01ProviderSchemas.acmeDNS.optional(),
  akamai: dns01ProviderSchemas.akamai.optional(),
  azureDNS: dns01ProviderSchemas.azureDNS.optional(),
  cloudDNS: dns01ProviderSchemas.cloudDNS.optional(),
  cloudflare: dns01ProviderSchemas.cloudflare.optional(),
  digitalocean: dns01ProviderSchemas.digitalocean.optional(),
  rfc2136: dns01ProviderSchemas.rfc2136.optional(),
  route53: dns01ProviderSchemas.route53.optional(),
  webhook: dns01ProviderSchemas.webhook.optional(),
});

export const acmeSolverSelectorSchema = z.strictObject({
  matchLabels: stringMap.optional(),
  dnsNames: z.array(z.string()).optional(),
  dnsZones: z.array(z.string()).optional(),
});

export const acmeChallengeSolverSchema = z.strictObject({
  selector: acmeSolverSelectorSchema.optional(),
  http01: http01Schema.optional(),
  dns01: dns01Schema.optional(),
  waitInsteadOfSelfCheck: goDurationSchema.optional(),
});

export type AcmeChallengeSolver = z.infer<typeof acmeChallengeSolverSchema>;
export type AcmeSolverSelector = z.infer<typeof acmeSolverSelectorSchema>;
export type AcmeHttp01Solver = z.infer<typeof http01Schema>;
export type AcmeHttp01Ingress = z.infer<typeof http01IngressSchema>;
export type AcmeDns01Solver = z.infer<typeof dns01Schema>;
export type AcmeRfc2136Provider = z.infer<typeof dns01ProviderSchemas.rfc2136>;
export type AcmeCloudflareProvider = z.infer<typeof dns01ProviderSchemas.cloudflare>;
export type AcmeRoute53Provider = z.infer<typeof dns01ProviderSchemas.route53>;
export type AcmeWebhookProvider = z.infer<typeof dns01ProviderSchemas.webhook>;
