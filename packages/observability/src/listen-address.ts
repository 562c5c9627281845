import { ValidationError } from "@certplane/domain";

type Env = Readonly<Record<string, string | undefined>>;

/** The variable every certplane process reads for its metrics and health listener. */
export const METRICS_ADDRESS_VARIABLE = "CERTPLANE_METRICS_ADDRESS";

/**
 * CERTPLANE_METRICS_ADDRESS: `host:port` (port 0 picks one) of the listener that serves /metrics,
 * /livez and /readyz, or `off`. Unset means `fallback`: none for a service started on its own, the
 * embedded default's own address for `pnpm start`.
 */
export function parseMetricsAddress(env: Env, fallback?: string): string | undefined {
  const value = env[METRICS_ADDRESS_VARIABLE]?.trim() || fallback;
  if (value === undefined || value === "off") return undefined;
  const match = /^(\[[0-9a-fA-F:]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(value);
  if (match === null || Number(match[2]) > 65535) {
    throw ValidationError.of(
      METRICS_ADDRESS_VARIABLE,
      "address",
      `${METRICS_ADDRESS_VARIABLE} must be host:port (port 0 picks one) or "off", got "${value}"`,
    );
  }
  return value;
}
