// Just enough XML for the stand-ins: the request bodies the AWS SDK writes have a fixed shape without
// attributes on the elements read here, so no parser dependency is needed.

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity.startsWith("#x") || entity.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return entities[entity] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${Object.entries(entities).find(([, v]) => v === c)?.[0]};`);
}

/** The raw inner XML of every `<tag>` element in `xml`, outermost first (elements of one tag do not nest here). */
export function elements(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, "g");
  return [...xml.matchAll(pattern)].map((match) => match[1] ?? "");
}

/** The unescaped text of the first `<tag>` element, or undefined. */
export function text(xml: string, tag: string): string | undefined {
  const [inner] = elements(xml, tag);
  return inner === undefined ? undefined : unescapeXml(inner);
}

/** Serialises a plain object tree: arrays repeat the element, `undefined` leaves it out. */
export type XmlTree = { readonly [tag: string]: XmlNode };
export type XmlNode = string | number | boolean | undefined | XmlTree | readonly XmlTree[];

export function toXml(tree: XmlTree): string {
  return Object.entries(tree)
    .map(([tag, node]) => {
      if (node === undefined) return "";
      if (Array.isArray(node)) return node.map((child) => `<${tag}>${toXml(child)}</${tag}>`).join("");
      if (typeof node === "object") return `<${tag}>${toXml(node as XmlTree)}</${tag}>`;
      return `<${tag}>${escapeXml(String(node))}</${tag}>`;
    })
    .join("");
}
