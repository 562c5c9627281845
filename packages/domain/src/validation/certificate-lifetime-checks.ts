// Lifetime and renewal (model §1.1 duration, renewBefore, renewBeforePercentage, renewal).
import { formatGoDuration, readGoDuration } from "../duration.ts";
import type { Certificate, CertificateSpec } from "../resources/certificate.ts";
import {
  effectiveDurationMs,
  MINIMUM_CERTIFICATE_DURATION_MS,
  MINIMUM_RENEW_BEFORE_MS,
} from "./certificate-defaults.ts";
import { isTimeZone, parseCron } from "./cron.ts";
import type { PolicyCheck } from "./policy-check.ts";

function renewBeforeMs(spec: CertificateSpec): number | undefined {
  if (spec.renewBefore === undefined) return undefined;
  const reading = readGoDuration(spec.renewBefore);
  return reading.ok ? reading.ms : undefined;
}

/**
 * The renewBefore a percentage really means (the controller's reading: lifetime × pct / 100).
 * cert-manager's webhook checks the complement instead and skips the check when neither duration
 * nor renewBefore is set; certplane checks what will actually happen.
 */
function renewBeforeFromPercentage(spec: CertificateSpec, percentage: number): number {
  return Math.floor((effectiveDurationMs(spec) * percentage) / 100);
}

const MUTUALLY_EXCLUSIVE =
  "renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set";

export const certificateLifetimeChecks: readonly PolicyCheck<Certificate>[] = [
  {
    name: "durationBelowMinimum",
    check: ({ spec }) =>
      effectiveDurationMs(spec) < MINIMUM_CERTIFICATE_DURATION_MS
        ? [
            {
              field: "spec.duration",
              message: `certificate duration must be greater than ${formatGoDuration(MINIMUM_CERTIFICATE_DURATION_MS)}`,
            },
          ]
        : [],
  },
  {
    name: "renewBeforeBelowMinimum",
    check: ({ spec }) => {
      const renewBefore = renewBeforeMs(spec);
      return renewBefore !== undefined && renewBefore < MINIMUM_RENEW_BEFORE_MS
        ? [
            {
              field: "spec.renewBefore",
              message: `certificate renewBefore must be greater than ${formatGoDuration(MINIMUM_RENEW_BEFORE_MS)}`,
            },
          ]
        : [];
    },
  },
  {
    name: "renewBeforeNotLessThanDuration",
    check: ({ spec }) => {
      const renewBefore = renewBeforeMs(spec);
      const duration = effectiveDurationMs(spec);
      return renewBefore !== undefined && renewBefore >= duration
        ? [
            {
              field: "spec.renewBefore",
              message: `certificate duration ${formatGoDuration(duration)} must be greater than renewBefore ${formatGoDuration(renewBefore)}`,
            },
          ]
        : [];
    },
  },
  {
    name: "renewBeforeWithPercentage",
    check: ({ spec }) =>
      spec.renewBefore !== undefined && spec.renewBeforePercentage !== undefined
        ? [
            { field: "spec.renewBefore", message: MUTUALLY_EXCLUSIVE },
            { field: "spec.renewBeforePercentage", message: MUTUALLY_EXCLUSIVE },
          ]
        : [],
  },
  {
    name: "renewBeforePercentageOutOfRange",
    check: ({ spec: { renewBeforePercentage: pct } }) =>
      pct !== undefined && (pct <= 0 || pct >= 100)
        ? [{ field: "spec.renewBeforePercentage", message: "must be greater than 0 and less than 100" }]
        : [],
  },
  {
    name: "renewBeforePercentageBelowMinimum",
    check: ({ spec }) => {
      const pct = spec.renewBeforePercentage;
      if (pct === undefined || pct <= 0 || pct >= 100) return [];
      const renewBefore = renewBeforeFromPercentage(spec, pct);
      return renewBefore < MINIMUM_RENEW_BEFORE_MS
        ? [
            {
              field: "spec.renewBeforePercentage",
              message: `certificate renewBeforePercentage ${pct} results in a renewBefore of ${formatGoDuration(renewBefore)} which is less than the minimum allowed of ${formatGoDuration(MINIMUM_RENEW_BEFORE_MS)}`,
            },
          ]
        : [];
    },
  },
  {
    name: "renewalWindowsWithPolicyDisabled",
    check: ({ spec: { renewal } }) =>
      renewal?.policy === "Disabled" && (renewal.windows?.length ?? 0) > 0
        ? [{ field: "spec.renewal.windows", message: "may not be set when renewal policy is Disabled" }]
        : [],
  },
  {
    name: "renewalWindowCronInvalid",
    check: ({ spec: { renewal } }) =>
      (renewal?.windows ?? []).flatMap((window, i) => {
        const reading = parseCron(window.cron);
        return reading.ok
          ? []
          : [
              {
                field: `spec.renewal.windows[${i}].cron`,
                message: `invalid cron expression: ${reading.message}`,
              },
            ];
      }),
  },
  {
    name: "renewalWindowTimezoneUnknown",
    check: ({ spec: { renewal } }) =>
      (renewal?.windows ?? []).flatMap((window, i) =>
        window.timezone === undefined || isTimeZone(window.timezone)
          ? []
          : [
              {
                field: `spec.renewal.windows[${i}].timezone`,
                message: `unknown time zone ${window.timezone}`,
              },
            ],
      ),
  },
];
