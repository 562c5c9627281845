import { ValidationError } from "@certplane/domain";

// Category and id become JetStream subject tokens (`events.<category>.<id>`), so `.`, `*`, `>` and
// whitespace are excluded; the category has no dash so the first dash splits the name unambiguously.
const CATEGORY = /^[a-z][a-zA-Z0-9]*$/;
const ID = /^[A-Za-z0-9_~:-]+$/;
const MAX_LENGTH = 200;

export interface StreamName {
  readonly category: string;
  readonly id: string;
}

/** Splits `<category>-<id>`, or throws ValidationError on field `stream` naming the broken rule. */
export function parseStreamName(stream: unknown): StreamName {
  if (typeof stream !== "string" || stream.length === 0) {
    throw ValidationError.of("stream", "required", "stream name must be a non-empty string");
  }
  if (stream.length > MAX_LENGTH) {
    throw ValidationError.of(
      "stream",
      "maxLength",
      `stream name must be at most ${MAX_LENGTH} characters, got ${stream.length}`,
    );
  }
  const dash = stream.indexOf("-");
  if (dash <= 0) {
    throw ValidationError.of(
      "stream",
      "format",
      `stream name "${stream}" must have the form <category>-<id>`,
    );
  }
  const category = stream.slice(0, dash);
  const id = stream.slice(dash + 1);
  if (!CATEGORY.test(category)) {
    throw ValidationError.of(
      "stream",
      "category",
      `stream category "${category}" must be dash-free camelCase matching ${CATEGORY.source}`,
    );
  }
  if (!ID.test(id)) {
    throw ValidationError.of(
      "stream",
      "id",
      `stream id "${id}" must match ${ID.source} (no ".", "*", ">" or whitespace)`,
    );
  }
  return { category, id };
}

/** Throws ValidationError on `field` unless every entry is a valid stream category. */
export function assertCategories(categories: readonly string[], field = "categories"): void {
  for (const category of categories) {
    if (!CATEGORY.test(category)) {
      throw ValidationError.of(field, "category", `category "${category}" must match ${CATEGORY.source}`);
    }
  }
}
