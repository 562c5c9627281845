// spec.constraints: bounds on what is allowed, each optional; an unset bound constrains nothing.
import { formatGoDuration } from "../duration.ts";
import { invalid, type PolicyRule } from "./policy-rule.ts";

const durationBelowMinDuration: PolicyRule = {
  name: "durationBelowMinDuration",
  check: ({ constraints }, request) =>
    constraints.minDurationMs !== undefined && request.durationMs < constraints.minDurationMs
      ? [
          invalid(
            "spec.constraints.minDuration",
            formatGoDuration(request.durationMs),
            constraints.minDuration!,
          ),
        ]
      : [],
};

const durationAboveMaxDuration: PolicyRule = {
  name: "durationAboveMaxDuration",
  check: ({ constraints }, request) =>
    constraints.maxDurationMs !== undefined && request.durationMs > constraints.maxDurationMs
      ? [
          invalid(
            "spec.constraints.maxDuration",
            formatGoDuration(request.durationMs),
            constraints.maxDuration!,
          ),
        ]
      : [],
};

const keyAlgorithmNotAllowed: PolicyRule = {
  name: "keyAlgorithmNotAllowed",
  check: ({ constraints }, { privateKey }) => {
    const algorithm = constraints.privateKey?.algorithm;
    return algorithm !== undefined && privateKey.algorithm !== algorithm
      ? [invalid("spec.constraints.privateKey.algorithm", privateKey.algorithm, algorithm)]
      : [];
  },
};

const keySizeBelowMinSize: PolicyRule = {
  name: "keySizeBelowMinSize",
  check: ({ constraints }, { privateKey }) => {
    const minSize = constraints.privateKey?.minSize;
    return minSize !== undefined && privateKey.size < minSize
      ? [invalid("spec.constraints.privateKey.minSize", privateKey.size, String(minSize))]
      : [];
  },
};

const keySizeAboveMaxSize: PolicyRule = {
  name: "keySizeAboveMaxSize",
  check: ({ constraints }, { privateKey }) => {
    const maxSize = constraints.privateKey?.maxSize;
    return maxSize !== undefined && privateKey.size > maxSize
      ? [invalid("spec.constraints.privateKey.maxSize", privateKey.size, String(maxSize))]
      : [];
  },
};

export const constraintRules: readonly PolicyRule[] = [
  durationBelowMinDuration,
  durationAboveMaxDuration,
  keyAlgorithmNotAllowed,
  keySizeBelowMinSize,
  keySizeAboveMaxSize,
];
