/**
 * What a permission set, or a list of Deno command-line flags, actually
 * grants, normalized so two of them can be compared: is one broader than the
 * other, are they the same. Pure, and written independently of
 * `permissionFlags` so that a check built on it also checks that translation.
 *
 * @example
 * ```ts
 * const set = grantOfSet({ read: true, net: ["127.0.0.1"] });
 * const flags = grantOfFlags(["--allow-read", "--allow-net"]);
 * broaderKinds(flags.grant, set); // ["net"]
 * ```
 */

/** A permission mode on the command line. */
export type GrantMode = "allow" | "deny" | "ignore";

/** What one mode of one kind covers: everything, or a list of values. */
export type GrantValue = true | readonly string[];

/** A normalized grant: `"allow-read"` → `true` or the sorted values. */
export type Grant = Readonly<Record<string, GrantValue>>;

const SHORT_FLAGS: Readonly<Record<string, string>> = {
  R: "read",
  W: "write",
  N: "net",
  E: "env",
  S: "sys",
  I: "import",
};

function mergeValue(a: GrantValue | undefined, b: GrantValue): GrantValue {
  if (a === true || b === true) return true;
  return [...new Set([...(a ?? []), ...b])].sort();
}

function addTo(grant: Record<string, GrantValue>, key: string, value: GrantValue): void {
  if (value !== true && value.length === 0) return;
  grant[key] = mergeValue(grant[key], value);
}

function valueOf(raw: unknown): GrantValue | undefined {
  if (raw === true) return true;
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === "string");
  return undefined;
}

/** The grant a `deno.json` permission set stands for; `all: true` is `allow-all`. */
export function grantOfSet(set: unknown): Grant {
  const grant: Record<string, GrantValue> = {};
  if (typeof set !== "object" || set === null) return grant;
  for (const [kind, raw] of Object.entries(set as Record<string, unknown>)) {
    if (kind === "all") {
      if (raw === true) grant["allow-all"] = true;
      continue;
    }
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      for (const mode of ["allow", "deny", "ignore"] as const) {
        const value = valueOf((raw as Record<string, unknown>)[mode]);
        if (value !== undefined) addTo(grant, `${mode}-${kind}`, value);
      }
    } else {
      const value = valueOf(raw);
      if (value !== undefined) addTo(grant, `allow-${kind}`, value);
    }
  }
  return grant;
}

/** What a list of command-line tokens grants, and which permission sets it loads. */
export interface FlagGrant {
  readonly grant: Grant;
  /** Names given to `-P`/`--permission-set` (`"default"` for a bare `-P`). */
  readonly sets: readonly string[];
  /** Permission-looking flags this parser does not know, reported as they are. */
  readonly unknown: readonly string[];
}

/**
 * Reads permission flags from tokens: `--allow-x[=a,b]`, `--deny-x`,
 * `--ignore-x`, `-A`, `--allow-all`, the short forms `-R -W -N -E -S -I`
 * (alone, with `=values`, or bundled as in `-RE`), and `-P[=name]`.
 * Stops at `--`. Tokens after a script name are read too: a look-alike
 * there is reported rather than missed.
 */
export function grantOfFlags(tokens: readonly string[]): FlagGrant {
  const grant: Record<string, GrantValue> = {};
  const sets: string[] = [];
  const unknown: string[] = [];
  for (const token of tokens) {
    if (token === "--") break;
    const long = /^--(allow|deny|ignore)-([a-z-]+)(?:=(.*))?$/.exec(token);
    if (long !== null) {
      const [, mode, kind, values] = long as unknown as [string, GrantMode, string, string?];
      if (kind === "all") {
        if (mode === "allow") grant["allow-all"] = true;
        else unknown.push(token);
        continue;
      }
      if (!["read", "write", "net", "env", "sys", "run", "ffi", "import"].includes(kind)) {
        unknown.push(token);
        continue;
      }
      addTo(grant, `${mode}-${kind}`, values === undefined ? true : values.split(","));
      continue;
    }
    const perm = /^(?:-P|--permission-set)(?:=(.*))?$/.exec(token);
    if (perm !== null) {
      sets.push(perm[1] === undefined || perm[1] === "" ? "default" : perm[1]);
      continue;
    }
    const short = /^-([A-Za-z]+)(?:=(.*))?$/.exec(token);
    if (short !== null) {
      const [, letters = "", values] = short;
      for (const letter of letters) {
        if (letter === "A") grant["allow-all"] = true;
        const kind = SHORT_FLAGS[letter];
        if (kind === undefined) continue;
        const single = letters.length === 1 && values !== undefined;
        addTo(grant, `allow-${kind}`, single ? values.split(",") : true);
      }
    }
  }
  return { grant, sets, unknown };
}

/**
 * The `allow` kinds in which `wider` grants something `narrower` does not.
 * Deny and ignore lists only take away, so they never make a grant broader.
 */
export function broaderKinds(wider: Grant, narrower: Grant): string[] {
  if (narrower["allow-all"] === true) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(wider)) {
    if (!key.startsWith("allow-")) continue;
    const kind = key.slice("allow-".length);
    if (key === "allow-all") {
      out.push("all");
      continue;
    }
    const have = narrower[key];
    if (have === true) continue;
    if (value === true || have === undefined || value.some((v) => !have.includes(v))) {
      out.push(kind);
    }
  }
  return out.sort();
}

/** Whether two grants are the same, mode by mode and value by value. */
export function sameGrant(a: Grant, b: Grant): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) return false;
    if (x === true || y === true) {
      if (x !== y) return false;
      continue;
    }
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}

/** Formats a grant as flags, for messages: `--allow-read --allow-sys=uid`. */
export function describeGrant(grant: Grant): string {
  const parts = Object.keys(grant).sort().map((key) => {
    const value = grant[key];
    return value === true || value === undefined ? `--${key}` : `--${key}=${value.join(",")}`;
  });
  return parts.length === 0 ? "(nothing)" : parts.join(" ");
}
