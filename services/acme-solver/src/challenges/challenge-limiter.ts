// What a Challenge needs before it presents anything (cert-manager's challenge scheduler): a place
// among the challenges in flight, and its type and DNS name to itself, since two of them would
// publish into the same TXT name or token path. One process keeps that in memory
// (challenge-slots.ts); instances sharing the work keep it in leases (leased-challenge-slots.ts).
import type { ChallengeKind } from "@certplane/domain/model";

export interface ChallengeToRun {
  readonly stream: string;
  readonly type: ChallengeKind;
  readonly dnsName: string;
}

export interface ChallengePermit {
  /** Aborts when the permit went to another instance meanwhile (its leases ran out unrenewed). */
  readonly lost: AbortSignal;
  /** Gives the place and the name back; a second call does nothing. */
  release(): Promise<void>;
}

export interface ChallengeLimiter {
  /** Resolves once `challenge` may run, until released; undefined when `signal` aborts first. */
  acquire(challenge: ChallengeToRun, signal: AbortSignal): Promise<ChallengePermit | undefined>;
}
