/** Plain-text tables for the `otrp tam` admin wrappers (`--json` prints the API answer instead). */

/** Left-aligned columns separated by two spaces; the header row first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** An ISO time without milliseconds, or '-'. */
export function when(t: string | null | undefined): string {
  return t ? t.replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** Hex shortened to its first 16 digits. */
export function shortHex(h: string | null | undefined): string {
  if (!h) return '-';
  return h.length > 16 ? `${h.slice(0, 16)}…` : h;
}

/** A hwmodel as text when it is printable ASCII, else hex. */
export function hwmodelText(h: string | null | undefined): string {
  if (!h) return '-';
  const bytes = Buffer.from(h, 'hex');
  return bytes.every((b) => b >= 0x20 && b < 0x7f) ? bytes.toString('latin1') : h;
}
