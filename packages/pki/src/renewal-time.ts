export interface RenewalTimeInput {
  /** Of the issued certificate, not the requested duration. */
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** spec.renewBefore in milliseconds. */
  readonly renewBefore?: number;
  /** spec.renewBeforePercentage. */
  readonly renewBeforePercentage?: number;
}

/**
 * cert-manager's RenewalTime (pkg/util/pki/renewaltime.go): renewBefore if 0 < rb < lifetime, else
 * lifetime × pct/100 if 0 < pct < 100, else lifetime/3; the result is truncated to the second.
 */
export function renewalTime(input: RenewalTimeInput): Date {
  const lifetime = input.notAfter.getTime() - input.notBefore.getTime();
  const { renewBefore: rb, renewBeforePercentage: pct } = input;
  const renewBefore =
    rb !== undefined && rb > 0 && rb < lifetime
      ? rb
      : pct !== undefined && pct > 0 && pct < 100
        ? Math.floor((lifetime * pct) / 100)
        : Math.floor(lifetime / 3);
  return new Date(Math.floor((input.notAfter.getTime() - renewBefore) / 1000) * 1000);
}
