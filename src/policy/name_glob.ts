/**
 * A tool or server name glob, matched without compiling a regular
 * expression. It matches exactly what `globToRegExp(glob, true, acrossSlash)` matches
 * (same syntax, same errors, one code point per `?`, `*` step or class), but
 * V8 parses a `RegExp` when it is made and compiles it on its first test,
 * and a large one is costly: the default policy's 39 `command-runners` globs
 * took hundreds of milliseconds on the proxy core's first call of a session
 * and about 2 MiB it kept. Here a glob becomes a small automaton of numbers,
 * walked once over the name's code points (time proportional to the name's
 * length times the glob's). Both read a glob through `globTokens`, so the
 * syntax and its errors are defined once. In a rule that blocks or steps up
 * `*`, `?` and `[!…]` match `/` too (`acrossSlash`: `*` covers
 * `repos/delete`); in an allow rule or an intent they stop at `/`. Pure.
 *
 * @example
 * ```ts
 * nameGlob("{,**__}run_{command,shell}").test("developer__run_shell"); // true
 * nameGlob("read_?").test("read_file"); // false
 * ```
 */
import { globTokens } from "./glob_tokens.ts";

/** What a compiled rule tests a name with: a `NameGlob`, or a `RegExp` in tests. */
export interface NameMatcher {
  test(name: string): boolean;
}

/** What a node tests, below zero: any code point, any but `/`; `CLASS - k` is class k. */
const ANY = -1;
const NOT_SLASH = -2;
const CLASS = -3;
/** A node that tests nothing: it forks, or ends the glob. */
const FORK = -10_000_000;
const SLASH = 0x2f;

/** One piece of a glob, in order: a code point test, a run of them (`*`, `**`), a group. */
type Piece =
  | { one: number }
  | { run: number }
  | { either: Piece[][] };

/** A class's members: code points and inclusive ranges, and whether it is negated. */
interface CodeClass {
  singles: readonly number[];
  ranges: readonly number[];
  negate: boolean;
}

/** Every class read so far, shared by all globs (`[sS]` recurs hundreds of times), by its text. */
const CLASSES: CodeClass[] = [];
const CLASS_IDS = new Map<string, number>();

/** A name glob (see the module's note). */
export class NameGlob implements NameMatcher {
  /** Per node: a code point (or ANY, NOT_SLASH, a class), or FORK. */
  readonly #tests: number[] = [FORK];
  /** Per node: the node after a test, or an index into #forks (-1 ends the glob). */
  readonly #next: number[] = [-1];
  readonly #forks: number[][] = [];
  readonly #start: number;

  /**
   * Reads `*`, `?` and `[!…]` across `/` with `acrossSlash`, as
   * `globToRegExp(glob, true, acrossSlash)` does; throws `policy.invalid_glob`
   * where it does.
   */
  constructor(glob: string, acrossSlash = false) {
    this.#start = this.#chain(this.#pieces(glob, acrossSlash), 0);
  }

  /** Whether the whole of `name` matches. */
  test(name: string): boolean {
    let now: number[] = [];
    let seen = new Set<number>();
    this.#reach(this.#start, now, seen);
    for (const char of name) {
      const code = char.codePointAt(0)!;
      const next: number[] = [];
      seen = new Set<number>();
      for (const id of now) {
        if (this.#passes(this.#tests[id]!, code)) this.#reach(this.#next[id]!, next, seen);
      }
      if (next.length === 0) return false;
      now = next;
    }
    return now.includes(0);
  }

  #passes(test: number, code: number): boolean {
    if (test >= 0) return test === code;
    if (test === ANY) return true;
    if (test === NOT_SLASH) return code !== SLASH;
    if (test === FORK) return false;
    const { singles, ranges, negate } = CLASSES[CLASS - test]!;
    let member = singles.includes(code);
    for (let k = 0; !member && k < ranges.length; k += 2) {
      member = code >= ranges[k]! && code <= ranges[k + 1]!;
    }
    return member !== negate;
  }

  /** Adds `id` to `into` (once), and what its forks lead to. */
  #reach(id: number, into: number[], seen: Set<number>): void {
    const stack = [id];
    while (stack.length > 0) {
      const at = stack.pop()!;
      if (seen.has(at)) continue;
      seen.add(at);
      into.push(at);
      if (this.#tests[at] === FORK && at !== 0) stack.push(...this.#forks[this.#next[at]!]!);
    }
  }

  #node(test: number, next: number): number {
    this.#tests.push(test);
    return this.#next.push(next) - 1;
  }

  #fork(to: number[]): number {
    return this.#node(FORK, this.#forks.push(to) - 1);
  }

  /** The nodes of `list` in order, ending at `next`; the first one's id. */
  #chain(list: readonly Piece[], next: number): number {
    let at = next;
    for (let i = list.length - 1; i >= 0; i--) at = this.#piece(list[i]!, at);
    return at;
  }

  #piece(piece: Piece, next: number): number {
    if ("one" in piece) return this.#node(piece.one, next);
    if ("run" in piece) {
      // A fork that either steps once and comes back, or goes on.
      const to: number[] = [];
      const loop = this.#fork(to);
      to.push(this.#node(piece.run, loop), next);
      return loop;
    }
    return this.#fork(piece.either.map((list) => this.#chain(list, next)));
  }

  /**
   * The pieces of `glob`, from the tokens `globToRegExp` reads too. A code
   * unit pair the regular expression reads as one code point is one here
   * too: adjacent literal characters, escaped or not, are one token's text.
   */
  #pieces(glob: string, acrossSlash: boolean): Piece[] {
    const notSlash = acrossSlash ? ANY : NOT_SLASH;
    const top: Piece[] = [];
    let group: Piece[][] | undefined;
    const out = () => group === undefined ? top : group[group.length - 1]!;
    for (const token of globTokens(glob)) {
      switch (token.kind) {
        case "literal": {
          // By code point, a pair of halves as one (as the string iterates).
          const { text } = token;
          const list = out();
          for (let k = 0; k < text.length;) {
            const code = text.codePointAt(k)!;
            list.push({ one: code });
            k += code > 0xffff ? 2 : 1;
          }
          break;
        }
        case "star":
          out().push({ run: notSlash });
          break;
        case "globstar":
          out().push({ run: ANY });
          break;
        case "folders":
          // (?:.*/)? : nothing, or anything that ends with "/"; (?:.*/) when required.
          if (token.required) out().push({ run: ANY }, { one: SLASH });
          else out().push({ either: [[], [{ run: ANY }, { one: SLASH }]] });
          break;
        case "folder_tail":
          // (?:/.*)? : the folder itself, or "/" and anything.
          out().push({ either: [[], [{ one: SLASH }, { run: ANY }]] });
          break;
        case "one":
          out().push({ one: notSlash });
          break;
        case "class":
          out().push({
            one: CLASS - classId(token.body, token.negate, token.negate && !acrossSlash),
          });
          break;
        case "open":
          group = [[]];
          break;
        case "or":
          group!.push([]);
          break;
        case "close":
          top.push({ either: group! });
          group = undefined;
          break;
      }
    }
    return top;
  }
}

/** `nameGlob(glob, acrossSlash)`: a {@linkcode NameGlob}. */
export function nameGlob(glob: string, acrossSlash = false): NameGlob {
  return new NameGlob(glob, acrossSlash);
}

/**
 * The index in `CLASSES` of the class `[body]` (`[!body]` when `negate`),
 * `/` a member too with `slash`.
 */
function classId(body: string, negate: boolean, slash: boolean): number {
  const key = `${negate ? "!" : "="}${slash ? "/" : "."}${body}`;
  let id = CLASS_IDS.get(key);
  if (id === undefined) {
    id = CLASSES.push(codeClass(body, negate, slash)) - 1;
    CLASS_IDS.set(key, id);
  }
  return id;
}

/**
 * The class `[body]` (`[!body]` when `negate`), `/` a member too with
 * `slash`, as the regular expression `[body]` (`[^body]`, `[^/body]`) reads
 * it with `\`, `]` and `^` taken literally: code points, `a-z` a range
 * where a `-` stands between two (`globTokens` has refused a range out of
 * order).
 */
function codeClass(body: string, negate: boolean, slash: boolean): CodeClass {
  const atoms = [...body].map((c) => c.codePointAt(0)!);
  const singles: number[] = slash ? [SLASH] : [];
  const ranges: number[] = [];
  for (let k = 0; k < atoms.length; k++) {
    if (atoms[k + 1] === 0x2d && k + 2 < atoms.length) {
      ranges.push(atoms[k]!, atoms[k + 2]!);
      k += 2;
    } else {
      singles.push(atoms[k]!);
    }
  }
  return { singles, ranges, negate };
}
