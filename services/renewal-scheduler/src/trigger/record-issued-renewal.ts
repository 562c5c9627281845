import type { CertificateState } from "@certplane/domain/model";
import { streams } from "@certplane/domain/model";
import type { OwnerCommand } from "@certplane/runtime";
import type { RenewalSchedulerConfig } from "../config.ts";
import { recordedRenewal, renewalOf } from "./renewal-plan.ts";

/**
 * Gather for RecordIssued (sent by the secret-publisher): the scheduler adds the revision's
 * renewal time, so the issuance and when to renew it are one commit of one writer. A disabled
 * renewal policy records no time.
 */
export function withRenewal(config: RenewalSchedulerConfig) {
  return (command: OwnerCommand, state: unknown): OwnerCommand => {
    const certificate = state as CertificateState;
    if (certificate.status !== "active") return command;
    const { notBefore, notAfter } = command as unknown as { notBefore: string; notAfter: string };
    const key = streams.certificate(certificate.meta.namespace ?? "", certificate.meta.name);
    const schedule = renewalOf({ notBefore, notAfter }, certificate.spec, key, config);
    return { ...command, renewal: recordedRenewal(schedule) } as OwnerCommand;
  };
}
