/** JSON with object keys sorted at every depth, so equal values always hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // keys in UTF-16 code-unit order (the default sort of strings); written in one pass: the audit
  // trail hashes every row with this, 100,000 of them for a large import
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let json = '{';
  for (const key of keys) {
    const child = record[key];
    if (child === undefined) continue;
    if (json.length > 1) json += ',';
    json += `${JSON.stringify(key)}:${canonicalJson(child)}`;
  }
  return `${json}}`;
}

/** Plain JSON data (Dates become ISO strings), as it will read back from jsonb. */
export function toJsonData<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}
