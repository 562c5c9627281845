import { type FieldIssue, ValidationError } from "@certplane/domain";
import { parseAllDocuments } from "yaml";
import { jsonValueIssues } from "./json-value-issues.ts";
import { MAX_ALIAS_COUNT } from "./manifest-limits.ts";
import { scanManifest } from "./scan-manifest.ts";

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source[i] === "\n") line++;
  return line;
}

/**
 * The yaml package throws a ReferenceError from toJS for an alias bomb ("Excessive alias count")
 * and for an alias whose anchor comes later or never: both are the input's fault.
 */
function aliasIssue(error: unknown, document: number): FieldIssue {
  if (!(error instanceof ReferenceError)) throw error;
  const message = /excessive alias count/i.test(error.message)
    ? `document ${document}: aliases expand to more than ${MAX_ALIAS_COUNT} copies: write the repeated parts out`
    : `document ${document}: an alias names an anchor that is not defined before it`;
  return { field: "manifests", rule: "yamlAlias", message };
}

/**
 * Multi-document YAML (JSON is YAML) into plain JSON values, skipping empty documents. Parse errors
 * name the document and line but quote nothing: a manifest may hold a private key.
 */
export function parseDocuments(source: string): unknown[] {
  scanManifest(source);
  const documents = parseAllDocuments(source, { prettyErrors: false });
  const issues: FieldIssue[] = [];
  const values: unknown[] = [];
  documents.forEach((document, index) => {
    for (const error of document.errors) {
      issues.push({
        field: "manifests",
        rule: "yaml",
        message: `document ${index + 1}, line ${lineOf(source, error.pos[0])}: ${error.code}`,
      });
    }
    if (document.errors.length > 0 || document.contents === null) return;
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      issues.push(aliasIssue(error, index + 1));
      return;
    }
    const found = jsonValueIssues(value);
    issues.push(...found.map((issue) => ({ ...issue, object: `document ${index + 1}` })));
    if (found.length === 0) values.push(value);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return values.filter((value) => value !== null && value !== undefined);
}
