import type { RecordedEvent } from "@certplane/domain";
import { isCertplaneError, readGoDuration, ValidationError } from "@certplane/domain";
import type { ChallengeCommand, ExistingChallenge } from "@certplane/domain/model";
import { challengeDecider, isChallengeFinal, parseStreamName } from "@certplane/domain/model";
import type { CommandContext } from "@certplane/runtime";
import type { AcmeClient } from "../acme-client.ts";
import type { AcmeIssuerView } from "../acme-issuer.ts";
import { loadAcmeIssuer } from "../acme-issuer.ts";
import { AcmeRequestError } from "../acme-request-error.ts";
import type { Dns01Record } from "../dns/dns01-provider.ts";
import { checkHttp01Once } from "../http01/self-check.ts";
import { pause, retryDelayMs } from "../retry-policy.ts";
import { causedBy, type SolverContext } from "../solver-context.ts";

type Outcome = "continue" | { readonly waitMs: number } | "done";

/**
 * Drives one Challenge to a final state and cleans it up (model §4 "Challenge controller"):
 * present → self-check → accept → wait for the authorization. Each step is an event; a
 * restarted solver reads them and continues with the first step not recorded.
 */
export async function runChallenge(
  ctx: SolverContext,
  stream: string,
  cause: () => RecordedEvent | undefined,
  signal: AbortSignal,
): Promise<void> {
  let failures = 0;
  while (!signal.aborted) {
    const context = causedBy(ctx, cause());
    let outcome: Outcome;
    try {
      outcome = await step(ctx, stream, context, signal);
      failures = 0;
    } catch (error) {
      failures++;
      if (isCertplaneError(error) && error.retryable) {
        ctx.logger.warn("challenge step failed, will retry", { challenge: stream, attempt: failures, error });
        outcome = { waitMs: retryDelayMs(ctx.config.retry, failures, error) };
      } else {
        await fail(ctx, stream, context, error);
        outcome = "continue";
      }
    }
    if (outcome === "done") return;
    if (outcome !== "continue") await pause(outcome.waitMs, signal);
  }
}

async function step(
  ctx: SolverContext,
  stream: string,
  context: CommandContext,
  signal: AbortSignal,
): Promise<Outcome> {
  const { state: challenge } = await ctx.runner.load(stream, challengeDecider);
  if (challenge.status !== "present" || challenge.cleanedUp) return "done";
  const record = async (command: (now: string) => ChallengeCommand) => {
    await ctx.runner.execute(stream, challengeDecider, (_s, now) => command(now.toISOString()), context);
    return "continue" as const;
  };
  const issuer = await loadAcmeIssuer(
    ctx.runner,
    challenge.meta.namespace,
    challenge.spec.issuerRef,
    ctx.config.clusterResourceNamespace,
  );
  if (isChallengeFinal(challenge)) {
    if (issuer) await cleanUp(ctx, challenge, issuer);
    return await record((now) => ({ type: "RecordChallengeCleanedUp", now }));
  }
  if (!issuer) {
    return await record((now) => ({
      type: "FailChallenge",
      state: "errored",
      reason: `Referenced issuer ${challenge.spec.issuerRef.name} not found or not an ACME issuer`,
      now,
    }));
  }
  const client = await ctx.accounts.clientFor(issuer, context);

  if (!challenge.presented) {
    // cert-manager looks first: an authorization may have become valid meanwhile (reuse).
    const authz = await client.getAuthorization(challenge.spec.authorizationURL);
    if (authz.status === "valid") return await record((now) => ({ type: "RecordChallengeValid", now }));
    await present(ctx, challenge, issuer);
    return await record((now) => ({ type: "RecordChallengePresented", now }));
  }
  if (!challenge.selfCheckPassed) {
    const waitMs = await selfCheck(ctx, challenge, signal);
    if (waitMs > 0) return { waitMs };
    return await record((now) => ({ type: "RecordChallengeSelfCheckPassed", now }));
  }
  if (!challenge.accepted) {
    await client.acceptChallenge(challenge.spec.url);
    return await record((now) => ({ type: "RecordChallengeAccepted", now }));
  }
  return await awaitAuthorization(ctx, client, challenge, record);
}

async function awaitAuthorization(
  ctx: SolverContext,
  client: AcmeClient,
  challenge: ExistingChallenge,
  record: (command: (now: string) => ChallengeCommand) => Promise<"continue">,
): Promise<Outcome> {
  const authz = await client.getAuthorization(challenge.spec.authorizationURL);
  const offered = authz.challenges.find((c) => c.url === challenge.spec.url);
  if (authz.status === "valid" || offered?.status === "valid") {
    return await record((now) => ({ type: "RecordChallengeValid", now }));
  }
  if (authz.status === "invalid" || offered?.status === "invalid" || authz.status === "expired") {
    const problem = offered?.error;
    return await record((now) => ({
      type: "FailChallenge",
      state: authz.status === "expired" ? "expired" : "invalid",
      reason: "Accepting challenge authorization failed",
      ...(problem ? { problem } : {}),
      now,
    }));
  }
  return { waitMs: ctx.config.pollIntervalMs };
}

/** Returns 0 when the check passed, or how long to wait before looking again. */
async function selfCheck(
  ctx: SolverContext,
  challenge: ExistingChallenge,
  signal: AbortSignal,
): Promise<number> {
  const wait = challenge.spec.solver.waitInsteadOfSelfCheck;
  if (wait !== undefined) {
    const reading = readGoDuration(wait);
    const due = Date.parse(challenge.presentedAt ?? challenge.createdAt) + (reading.ok ? reading.ms : 0);
    return Math.max(0, due - ctx.clock.now().getTime());
  }
  if (challenge.spec.type === "DNS-01") {
    const solver = challenge.spec.solver.dns01;
    if (!solver || !ctx.dns01) return ctx.config.dns01CheckRetryPeriodMs;
    const record = dnsRecordOf(challenge);
    const propagated = await ctx.dns01.propagationChecker(solver).isPropagated(record.fqdn, record.value);
    if (!propagated)
      ctx.logger.info("DNS record not yet propagated", { challenge: challenge.meta.name, fqdn: record.fqdn });
    return propagated ? 0 : ctx.config.dns01CheckRetryPeriodMs;
  }
  const { requiredSuccesses, intervalMs, http01Address } = ctx.config.selfCheck;
  for (let i = 0; i < requiredSuccesses && !signal.aborted; i++) {
    if (i > 0) await pause(intervalMs, signal);
    const result = await checkHttp01Once({
      dnsName: challenge.spec.dnsName,
      token: challenge.spec.token,
      key: challenge.spec.key,
      ...(http01Address ? { address: http01Address } : {}),
    });
    if (!result.ok) {
      ctx.logger.info("HTTP-01 self check failed", { challenge: challenge.meta.name, reason: result.reason });
      return Math.max(intervalMs, 1);
    }
  }
  return signal.aborted ? 1 : 0;
}

function dnsRecordOf(challenge: ExistingChallenge): Dns01Record {
  return { fqdn: `_acme-challenge.${challenge.spec.dnsName}.`, value: challenge.spec.key };
}

async function present(
  ctx: SolverContext,
  challenge: ExistingChallenge,
  issuer: AcmeIssuerView,
): Promise<void> {
  // HTTP-01 needs nothing here: the ChallengePresented event is what the responders serve from.
  if (challenge.spec.type !== "DNS-01") return;
  const provider = await dnsProvider(ctx, challenge, issuer);
  await provider.present(dnsRecordOf(challenge));
}

async function cleanUp(
  ctx: SolverContext,
  challenge: ExistingChallenge,
  issuer: AcmeIssuerView,
): Promise<void> {
  if (challenge.spec.type !== "DNS-01" || !challenge.presented) return;
  const provider = await dnsProvider(ctx, challenge, issuer);
  await provider.cleanUp(dnsRecordOf(challenge));
}

async function dnsProvider(ctx: SolverContext, challenge: ExistingChallenge, issuer: AcmeIssuerView) {
  const solver = challenge.spec.solver.dns01;
  if (!solver) throw new AcmeRequestError("present", { detail: "DNS-01 challenge without a dns01 solver" });
  if (!ctx.dns01) {
    throw ValidationError.of(
      "solver.dns01",
      "provider",
      "this acme-solver has no DNS-01 providers configured",
    );
  }
  return await ctx.dns01.providerFor(solver, {
    secretNamespace: issuer.secretNamespace,
    clusterIssuer: parseStreamName(issuer.stream).category === "clusterIssuer",
  });
}

/** A 4xx from the server, or a configuration error: the Challenge ends (cert-manager §4). */
async function fail(
  ctx: SolverContext,
  stream: string,
  context: CommandContext,
  error: unknown,
): Promise<void> {
  const problem = error instanceof AcmeRequestError ? error.problem : undefined;
  const malformed = problem?.type === "urn:ietf:params:acme:error:malformed";
  await ctx.runner.execute(
    stream,
    challengeDecider,
    (_s, now): ChallengeCommand => ({
      type: "FailChallenge",
      state: malformed ? "expired" : "errored",
      reason: problem
        ? "Failed to process challenge"
        : `Failed to process challenge: ${(error as Error).message}`,
      ...(problem ? { problem } : {}),
      now: now.toISOString(),
    }),
    context,
  );
}
