import { type FieldIssue, ValidationError } from "@certplane/domain";
import { parseAllDocuments } from "yaml";

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source[i] === "\n") line++;
  return line;
}

/**
 * Multi-document YAML (JSON is YAML) into plain values, skipping empty documents. Parse errors
 * name the document and line but quote nothing: a manifest may hold a private key.
 */
export function parseDocuments(source: string): unknown[] {
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
    if (document.errors.length === 0 && document.contents !== null) values.push(document.toJS());
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return values.filter((value) => value !== null && value !== undefined);
}
