// A pass over the raw tokens before anything is parsed: the yaml parser is superlinear on deep
// nesting and builds every document of a stream at once, so size, document count and depth are
// refused here, stopping at the first token over a limit.
import { ValidationError } from "@certplane/domain";
import { CST, Lexer } from "yaml";
import { MAX_DOCUMENTS, MAX_MANIFEST_BYTES, MAX_NESTING_DEPTH } from "./manifest-limits.ts";

// Tokens that carry no content: they neither start a document nor set a line's indentation.
const LAYOUT = new Set(["space", "newline", "comment", "directive-line", "byte-order-mark", "doc-mode"]);
const BLOCK_INDICATORS = new Set(["seq-item-ind", "explicit-key-ind", "map-value-ind"]);

const refuse = (rule: string, message: string): never => {
  throw ValidationError.of("manifests", rule, message);
};

/**
 * Block depth is estimated from the stack of open indentations plus the indicators on the current
 * line (`- - - x` nests three times on one line); flow depth is counted exactly from brackets,
 * which the lexer already tells apart from brackets inside scalars.
 */
export function scanManifest(source: string): void {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > MAX_MANIFEST_BYTES) {
    refuse(
      "manifestTooLarge",
      `is ${bytes} bytes; at most ${MAX_MANIFEST_BYTES} (3 MiB, the kube-apiserver's request limit) are accepted: apply the objects in several calls`,
    );
  }
  let documents = 0;
  let inDocument = false;
  let flowDepth = 0;
  const indents: number[] = [];
  let lineIndent = 0;
  let lineStarted = false;
  let lineIndicators = 0;
  for (const token of new Lexer().lex(source)) {
    const type = CST.tokenType(token);
    if (type === "newline") {
      lineIndent = 0;
      lineStarted = false;
      lineIndicators = 0;
      continue;
    }
    if (type === "space" && !lineStarted) lineIndent = token.length;
    if (type === null || LAYOUT.has(type)) continue;
    if (type === "doc-end") {
      inDocument = false;
      continue;
    }
    if (type === "doc-start" || !inDocument) {
      documents++;
      inDocument = true;
      if (documents > MAX_DOCUMENTS) {
        refuse(
          "tooManyDocuments",
          `holds more than ${MAX_DOCUMENTS} YAML documents: apply them in several calls`,
        );
      }
      if (type === "doc-start") {
        indents.length = 0;
        flowDepth = 0;
        continue;
      }
    }
    if (!lineStarted && flowDepth === 0) {
      while (indents.length > 0 && indents.at(-1)! >= lineIndent) indents.pop();
      indents.push(lineIndent);
    }
    lineStarted = true;
    if (type === "flow-seq-start" || type === "flow-map-start") flowDepth++;
    else if (type === "flow-seq-end" || type === "flow-map-end") flowDepth = Math.max(0, flowDepth - 1);
    else if (flowDepth === 0 && BLOCK_INDICATORS.has(type)) lineIndicators++;
    if (flowDepth + indents.length + lineIndicators > MAX_NESTING_DEPTH) {
      refuse("nestingTooDeep", `nests collections more than ${MAX_NESTING_DEPTH} levels deep`);
    }
  }
}
