/** Aligned columns, three spaces apart, headers upper-case, as kubectl's tabwriter prints them. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
      .join("")
      .trimEnd();
  return `${[headers, ...rows].map(line).join("\n")}\n`;
}

/** A table's rows only, for output that continues one printed before (`--follow`, `--watch`). */
export function withoutHeader(table: string): string {
  return table.slice(table.indexOf("\n") + 1);
}
