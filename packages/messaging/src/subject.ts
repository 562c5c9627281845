import { ValidationError } from "@certplane/domain";

// NATS subject syntax: dot-separated non-empty tokens without whitespace; `*` matches one token and
// `>` matches the rest, and only subscriptions may use them.
const LITERAL_TOKEN = /^[^\s.*>]+$/;

export function assertPublishSubject(subject: string): void {
  if (!subject.split(".").every((token) => LITERAL_TOKEN.test(token))) {
    throw ValidationError.of("subject", "literalSubject", `"${subject}" is not a literal NATS subject`);
  }
}

export function assertSubscribeSubject(subject: string): void {
  const tokens = subject.split(".");
  const valid = tokens.every(
    (token, index) =>
      LITERAL_TOKEN.test(token) || token === "*" || (token === ">" && index === tokens.length - 1),
  );
  if (!valid) {
    throw ValidationError.of("subject", "subjectPattern", `"${subject}" is not a valid NATS subject pattern`);
  }
}

export function subjectMatches(pattern: string, subject: string): boolean {
  const wanted = pattern.split(".");
  const actual = subject.split(".");
  for (const [index, token] of wanted.entries()) {
    if (token === ">") return actual.length > index;
    if (index >= actual.length) return false;
    if (token !== "*" && token !== actual[index]) return false;
  }
  return wanted.length === actual.length;
}
