import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { route53Failure } from "./route53-errors.ts";

// The SDK's credential types, named through a package this service depends on directly.
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>;
type AwsCredentialIdentity = Awaited<ReturnType<ReturnType<typeof fromNodeProviderChain>>>;

/** Where the AWS identity comes from: keys from the issuer's Secret, or the SDK's default chain. */
export type Route53Identity =
  | { readonly kind: "static"; readonly accessKeyId: string; readonly secretAccessKey: string }
  | { readonly kind: "ambient" };

export interface Route53CredentialOptions {
  readonly identity: Route53Identity;
  /** ARN of a role to assume with that identity (cert-manager's `role`). */
  readonly role?: string;
  readonly region: string;
  /** STS endpoint for tests; unset, the SDK uses AWS_ENDPOINT_URL_STS or the regional default. */
  readonly endpoint?: string;
  readonly timeoutMs: number;
}

/**
 * How the AWS clients send requests: a provider lives for one present or clean-up, so pooled keep-alive
 * sockets would only linger after it; each request gets its own connection instead.
 */
export function awsRequestHandler(timeoutMs: number) {
  return { requestTimeout: timeoutMs, httpAgent: { keepAlive: false }, httpsAgent: { keepAlive: false } };
}

// cert-manager's session name, so IAM trust policies that condition on sts:RoleSessionName keep working.
const roleSessionName = "cert-manager";

/** The credentials the Route 53 client signs with; an assumed role is asked for once, on first use. */
export function route53Credentials(options: Route53CredentialOptions): AwsCredentialIdentityProvider {
  const { identity, role } = options;
  const base: AwsCredentialIdentityProvider =
    identity.kind === "static"
      ? async () => ({ accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey })
      : // The default chain: environment, shared config/credentials files, web identity, ECS and EC2 metadata.
        fromNodeProviderChain();
  if (role === undefined) return base;
  let assumed: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    assumed ??= assumeRole(role, base, options).catch((error) => {
      assumed = undefined;
      throw error;
    });
    return assumed;
  };
}

async function assumeRole(
  role: string,
  base: AwsCredentialIdentityProvider,
  options: Route53CredentialOptions,
): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({
    region: options.region,
    credentials: base,
    requestHandler: awsRequestHandler(options.timeoutMs),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  try {
    const { Credentials: credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: role, RoleSessionName: roleSessionName }),
    );
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new Error("STS AssumeRole answered without credentials");
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  } catch (error) {
    throw route53Failure(error, `assuming role ${role}`);
  } finally {
    sts.destroy();
  }
}
