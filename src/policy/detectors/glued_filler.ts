/**
 * Where a token found in a text stands apart from what touches it, or is
 * glued only to filler: `AKIA…` + `aaaaaaaa`, `xxxx` + `ghp_…`, `sk_live_…` +
 * `========`, `passwordpassword` + `xoxb-…`. Padding added to a key hides
 * nothing a reader cannot strip, so a detector whose token must stand apart
 * (no character it is written in glued to it) lets filler touch it. Filler is
 * a unit of 1 to {@linkcode LONGEST_UNIT} characters repeated at least twice
 * that fills all the glued characters, up to where they end: one odd
 * character (`npm_…X`, a token one character too long), a word (`…TNUhello`)
 * or a run inside longer text (the `AAAA` of base64 around a key-shaped
 * stretch) is not filler.
 *
 * A detector describes its token once ({@linkcode tokenShape}) and reads the
 * tokens {@linkcode tokensApart} gives: each place a token may start is
 * tried on its own, so a look-alike that fails does not hide a token that
 * starts inside it. Pure; linear in the text.
 *
 * @example
 * ```ts
 * const shape = tokenShape(["AKIA"], "AKIA[A-Z2-7]{16}", "A-Za-z0-9", "A-Za-z0-9", null);
 * [...tokensApart("AKIAQ3EGRBPSXLYH7TNU" + "aaaaaaaa", shape)].length; // 1
 * [...tokensApart("AKIAQ3EGRBPSXLYH7TNUhello", shape)].length; // 0
 * [...tokensApart("xxxxAKIAQ3EGRBPSXLYH7TNU", shape)].length; // 1
 * ```
 */

/** The longest unit filler repeats (`password` has 8 characters). */
export const LONGEST_UNIT = 8;

/**
 * How many places a token may start after filler are tried in one run of
 * glued characters, the last ones of the run's filler head: a token glued
 * after filler starts where the filler ends, and trying each place inside
 * the filler (`eyJeyJeyJ…`) would read the run again for each.
 */
export const GLUED_TRIES = 2;

/** How far back from the end of a run's filler a token glued after it is looked for. */
export const GLUED_WINDOW = 64;

/** Which ASCII characters glue to a token's edge (hide where it ends), by code. */
export type GlueClass = Uint8Array;

/**
 * The ASCII characters `pattern` (one character class) matches, as a {@linkcode GlueClass}.
 *
 * @example
 * ```ts
 * glueClass(/[A-Za-z0-9]/)["a".charCodeAt(0)]; // 1
 * glueClass(/[A-Za-z0-9]/)["-".charCodeAt(0)]; // 0
 * ```
 */
export function glueClass(pattern: RegExp): GlueClass {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) table[c] = pattern.test(String.fromCharCode(c)) ? 1 : 0;
  return table;
}

/** Whether the UTF-16 code unit `code` is one of `glue` (none past ASCII is). */
function glues(glue: GlueClass, code: number): boolean {
  return code < 128 && glue[code] === 1;
}

/**
 * What a detector's token is: what it starts with, the pattern from there
 * that ends where it stands apart (`apart`) and the one that runs as long as
 * it may (`longest`, the same when nothing glues after it), which characters
 * glue before and after it, and, when its length varies (so it may take
 * filler glued after it into its own characters), how long its shortest
 * token is (`null` when its length is fixed).
 *
 * The expressions keep their place in `lastIndex` and a detector holds its
 * shape in a module constant: {@linkcode tokensApart} and
 * {@linkcode tokenStarts} are safe while one generator over a shape runs at
 * a time (each detector reads its own to the end, or drops it, before it
 * returns); one started inside another over the same shape would move the
 * outer one's place.
 */
export interface TokenShape {
  starts: RegExp;
  apart: RegExp;
  longest: RegExp;
  before: GlueClass;
  after: GlueClass;
  shortest: number | null;
}

/** A regular expression source that matches `literal` and nothing else. */
function escaped(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * A {@linkcode TokenShape}: `starts` (literal prefixes), `source` (the token
 * from its first character, no edges), the characters that glue before and
 * after it (the inside of a character class; `""` when the token runs as far
 * as its characters go, so nothing glues after it) and, for a token whose
 * length varies, the length of the shortest one (`null` for a fixed length).
 *
 * @example
 * ```ts
 * tokenShape(["npm_"], "npm_[A-Za-z0-9]{36}", "A-Za-z0-9_", "A-Za-z0-9_", null);
 * tokenShape(["sk_live_"], "sk_live_[A-Za-z0-9]{24,247}", "A-Za-z0-9_", "A-Za-z0-9_", 32);
 * ```
 */
export function tokenShape(
  starts: readonly string[],
  source: string,
  before: string,
  after: string,
  shortest: number | null,
): TokenShape {
  const longest = new RegExp(`(?:${source})`, "y");
  const start = `(?:${starts.map(escaped).join("|")})`;
  return {
    // Where nothing glues before a start, or a unit repeated twice does: a cheap first sieve.
    starts: new RegExp(
      `(?<![${before}])${start}|(?<=\\1([${before}]{1,${LONGEST_UNIT}}))${start}`,
      "g",
    ),
    apart: after === "" ? longest : new RegExp(`(?:${source})(?![${after}])`, "y"),
    longest,
    before: glueClass(new RegExp(`[${before}]`)),
    after: glueClass(after === "" ? /(?!)/ : new RegExp(`[${after}]`)),
    shortest,
  };
}

/**
 * For each unit of 1 to {@linkcode LONGEST_UNIT} characters, how many
 * characters from `start` on repeat with that period (each equal to the one
 * a unit before it) while they glue: the filler a run of glued characters
 * starts with.
 */
function fillerHeads(text: string, start: number, glue: GlueClass): Int32Array {
  const heads = new Int32Array(LONGEST_UNIT + 1);
  for (let unit = 1; unit <= LONGEST_UNIT; unit++) {
    // A head that repeats a divisor of `unit` repeats `unit` too: read on from where it ends.
    let i = start;
    for (let d = 1; d < unit; d++) {
      if (unit % d === 0) i = Math.max(i, start + (heads[d] as number) - unit);
    }
    while (
      i + unit < text.length && glues(glue, text.charCodeAt(i + unit)) &&
      text.charCodeAt(i) === text.charCodeAt(i + unit)
    ) i++;
    heads[unit] = i + unit - start;
  }
  return heads;
}

/** Whether the `length` characters a run's filler `heads` start with are filler whole. */
function fillerWhole(heads: Int32Array, length: number): boolean {
  for (let unit = 1; unit <= LONGEST_UNIT && 2 * unit <= length; unit++) {
    if (length <= (heads[unit] as number)) return true;
  }
  return false;
}

/** How long the longest filler a run's `heads` start with is (0 for none). */
function fillerReach(heads: Int32Array): number {
  let reach = 0;
  for (let unit = 1; unit <= LONGEST_UNIT; unit++) {
    const head = heads[unit] as number;
    if (head >= 2 * unit && head > reach) reach = head;
  }
  return reach;
}

/**
 * The places in `text` where one of `starts` (a global expression) begins
 * and a token may start: where no `glue` character comes before it (as a
 * lookbehind would allow), or where every glued character back to the
 * start of their run is filler. Of those, only the last
 * {@linkcode GLUED_TRIES} of a run's filler, within its last
 * {@linkcode GLUED_WINDOW} characters, are given: a token that starts
 * earlier would have its first two units or more repeat the padding, which
 * an issued key's characters do not. Each place is given once, not in order.
 *
 * @example
 * ```ts
 * [...tokenStarts("xoxb- xxxxxoxb-", /xoxb-/g, glueClass(/[A-Za-z0-9]/))]; // [0, 10]
 * ```
 */
export function* tokenStarts(text: string, starts: RegExp, glue: GlueClass): Generator<number> {
  let run = 0; // where the run of glued characters before `seen` starts
  let seen = 0;
  let heads: Int32Array | undefined;
  let glued: number[] = [];
  starts.lastIndex = 0;
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    const at = m.index;
    starts.lastIndex = at + 1;
    if (at === 0 || !glues(glue, text.charCodeAt(at - 1))) {
      yield at;
      continue;
    }
    let from = run;
    for (; seen < at; seen++) if (!glues(glue, text.charCodeAt(seen))) from = seen + 1;
    if (from !== run) {
      yield* glued;
      glued = [];
      heads = undefined;
      run = from;
    }
    heads ??= fillerHeads(text, run, glue);
    const reach = fillerReach(heads);
    if (at - run > reach) {
      // No later place in this run follows filler only: go on past its end.
      while (seen < text.length && glues(glue, text.charCodeAt(seen))) seen++;
      starts.lastIndex = Math.max(seen, at + 1);
    } else if (fillerWhole(heads, at - run)) {
      glued.push(at);
      if (glued.length > GLUED_TRIES) glued.shift();
      starts.lastIndex = Math.max(at + 1, run + reach - GLUED_WINDOW);
    }
  }
  yield* glued;
}

/**
 * Whether the `glue` characters right after `end` (just past a token) are
 * none or filler, all of them up to where they end. A token of variable
 * length may have taken the filler's first characters into its own:
 * `reach` says how many of its last characters it could give back (0 for a
 * token of fixed length), and filler may start among them.
 *
 * @example
 * ```ts
 * const glue = glueClass(/[A-Za-z0-9]/);
 * fillerAfter("AKIAQ3EGRBPSXLYH7TNU" + "aaaa", 20, glue, 0); // true
 * fillerAfter("AKIAQ3EGRBPSXLYH7TNU" + "aaaab", 20, glue, 0); // false
 * ```
 */
export function fillerAfter(text: string, end: number, glue: GlueClass, reach: number): boolean {
  let to = end;
  while (to < text.length && glues(glue, text.charCodeAt(to))) to++;
  if (to === end) return true;
  for (let unit = 1; unit <= LONGEST_UNIT; unit++) {
    // The run of period `unit` that ends where the glue does, read back into the token's reach.
    const run = periodicRun(text, to, end - reach, unit);
    if (run >= to - end && run >= 2 * unit) return true;
  }
  return false;
}

/**
 * The tokens of `shape` in `text` that stand apart or are glued to filler
 * only, as matches: at each place one may start ({@linkcode tokenStarts}),
 * the token that ends where it stands apart, then the longest one if what
 * is glued after it is filler ({@linkcode fillerAfter}; one of variable
 * length may give up to {@linkcode LONGEST_UNIT} of its last characters
 * back while it keeps its shortest length: in `ghp_…` + `a_a_` it takes the
 * first `a`, and the filler starts inside it). A caller judges each and
 * stops at the first it takes (one generator over a shape at a time, see
 * {@linkcode TokenShape}).
 *
 * @example
 * ```ts
 * const shape = tokenShape(["npm_"], "npm_[A-Za-z0-9]{36}", "A-Za-z0-9_", "A-Za-z0-9_", null);
 * [...tokensApart("xx" + "npm_" + "a1B2".repeat(9) + "==", shape)].length; // 1
 * ```
 */
export function* tokensApart(text: string, shape: TokenShape): Generator<RegExpExecArray> {
  for (const at of tokenStarts(text, shape.starts, shape.before)) {
    shape.apart.lastIndex = at;
    const apart = shape.apart.exec(text);
    if (apart !== null) yield apart;
    if (shape.longest === shape.apart) continue;
    shape.longest.lastIndex = at;
    const m = shape.longest.exec(text);
    if (m === null || (apart !== null && apart[0].length === m[0].length)) continue;
    const reach = shape.shortest === null
      ? 0
      : Math.max(0, Math.min(LONGEST_UNIT, m[0].length - shape.shortest));
    if (fillerAfter(text, at + m[0].length, shape.after, reach)) yield m;
  }
}

/**
 * Whether `part` is filler whole: a unit of 1 to {@linkcode LONGEST_UNIT}
 * characters repeated at least twice (`AKIAAKIAAKIAAKIA`, the 16 characters
 * after a key id's prefix when prefixes are glued together).
 *
 * @example
 * ```ts
 * repeatedUnit("AKIAAKIAAKIAAKIA"); // true
 * repeatedUnit("Q3EGRBPSXLYH7TNU"); // false
 * ```
 */
export function repeatedUnit(part: string): boolean {
  for (let unit = 1; unit <= LONGEST_UNIT && 2 * unit <= part.length; unit++) {
    if (periodicRun(part, part.length, 0, unit) === part.length) return true;
  }
  return false;
}

/**
 * `token` without filler at its end (see the module doc), or `token` itself
 * when it has none: what a token of variable length is once the padding it
 * took in is given back.
 *
 * @example
 * ```ts
 * withoutTrailingFiller("sk_live_abcXYZxxxx"); // "sk_live_abcXYZ"
 * ```
 */
export function withoutTrailingFiller(token: string): string {
  let longest = 0;
  for (let unit = 1; unit <= LONGEST_UNIT; unit++) {
    const run = periodicRun(token, token.length, 0, unit);
    if (run >= 2 * unit && run > longest) longest = run;
  }
  return token.slice(0, token.length - longest);
}

/**
 * How many characters end at `end` and repeat with period `unit` (each
 * equal to the one `unit` after it), read back no further than `from`: at
 * least `unit`, and 2 × `unit` or more when the run is filler.
 */
function periodicRun(text: string, end: number, from: number, unit: number): number {
  let i = end - 1 - unit;
  while (i >= from && text.charCodeAt(i) === text.charCodeAt(i + unit)) i--;
  return end - 1 - i;
}
