// ${name} placeholders in preset values. Pure, so tested alone.

export type VarValue = string | number | boolean;

const WHOLE = /^\$\{([A-Za-z_][\w-]*)\}$/;
const ANY = /\$\{([A-Za-z_][\w-]*)\}/g;

/**
 * Replaces placeholders throughout a parsed YAML value. A string that is one placeholder takes
 * the variable's own type (so `epochs: ${epochs}` stays a number). Unknown names are returned in
 * `missing` with where they were found.
 */
export function substitute(value: unknown, vars: Readonly<Record<string, VarValue>>, path: string[] = [], missing: string[] = []): { value: unknown; missing: string[] } {
  const walk = (v: unknown, at: string[]): unknown => {
    if (typeof v === 'string') {
      const whole = WHOLE.exec(v);
      if (whole) {
        if (!(whole[1]! in vars)) missing.push(`${at.join('.')}: \${${whole[1]}}`);
        return vars[whole[1]!] ?? v;
      }
      return v.replace(ANY, (m, name: string) => {
        if (!(name in vars)) {
          missing.push(`${at.join('.')}: \${${name}}`);
          return m;
        }
        return String(vars[name]);
      });
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...at, String(i)]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, [...at, k])]));
    return v;
  };
  return { value: walk(value, path), missing };
}

/** `key=value` from --set; numbers and booleans keep their type. */
export function parseAssignment(text: string): [string, VarValue] | null {
  const eq = text.indexOf('=');
  if (eq <= 0) return null;
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return null;
  if (raw === 'true' || raw === 'false') return [key, raw === 'true'];
  const n = Number(raw);
  return [key, raw.trim() !== '' && Number.isFinite(n) ? n : raw];
}
