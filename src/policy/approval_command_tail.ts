/**
 * The words after thoth's name, for the approval-command reading
 * (`approval_commands.ts`): options, `approvals`, options, a subcommand
 * (`approve`, `deny`, `list`, `watch`) and what it takes. A word that may
 * expand to no word at all (`$x`, `$(…)`, a glob under `nullglob`, see
 * `mayVanish`) may stand anywhere among them and be none, and a pattern or
 * a parameter's word may be one (`app*`, `${x:-approve}`): the words are
 * read in one pass, each place they may have reached carried along, so a
 * word that is both is read both ways at once. Pure.
 *
 * @example
 * ```ts
 * approvalsAfter(["thoth", "approvals", "approve", "k3f9x2qa"], 1).runs; // true
 * approvalsAfter(["thoth", "approvals", "watch", "hangs"], 1).runs; // false
 * approvalsAt(["approvals", "list", "--json"], 0); // true
 * ```
 */
import { GATE, SUBCOMMANDS, TAKES_ID, VALUE_OPTIONS } from "./approval_command_words.ts";
import { mayVanish } from "./shell_expansions.ts";
import { isPattern, mayExpandTo, namesExpandedTo } from "./shell_word_patterns.ts";

/** {@linkcode SUBCOMMANDS} as a list. */
const SUBCOMMAND_NAMES: readonly string[] = [...SUBCOMMANDS];

/** The subcommands a word may be: itself, or those its pattern may expand to (`appro?e`). */
function subcommandsOf(word: string): string[] {
  if (!isPattern(word)) return SUBCOMMANDS.has(word) ? [word] : [];
  return namesExpandedTo(word, SUBCOMMAND_NAMES);
}

/** The places a subcommand `word` may be leads to: {@linkcode At.Id0}, {@linkcode At.List}. */
function subcommandPlaces(word: string): number {
  const names = subcommandsOf(word);
  let places = 0;
  if (names.some((name) => TAKES_ID.has(name))) places |= At.Id0;
  if (names.some((name) => !TAKES_ID.has(name))) places |= At.List;
  return places;
}

/** Whether `word` may be `approvals`: itself, or a pattern that may expand to it. */
function mayBeGate(word: string): boolean {
  return word === GATE || (isPattern(word) && mayExpandTo(word, [GATE]));
}

/** Whether `word` is `--help` or `-h`, after which the CLI prints its help and runs nothing. */
function isHelp(word: string): boolean {
  return word === "--help" || word === "-h";
}

/**
 * Whether an id may be absent from `word`: it may vanish, or has a `$` in
 * it, quoted too (`"$ID"`), which may expand to nothing.
 */
function idMayBeAbsent(word: string): boolean {
  return word.indexOf("$") !== -1 || mayVanish(word);
}

/** The places the reading may have reached, one bit each. */
const enum At {
  /** Before `approvals`, past thoth's name and options. */
  Gate = 1,
  /** Past `approvals`, before the subcommand; `Clean`: no `--help` since. */
  Sub = 2,
  SubClean = 4,
  /** Past `list` or `watch`, or past `approve` or `deny` with no id or one id read. */
  List = 8,
  Id0 = 16,
  Id1 = 32,
}

/** The places past a subcommand. */
const PAST_SUB = At.List | At.Id0 | At.Id1;

/**
 * Whether `words[from…]` are thoth's options and then `approvals`, options,
 * a subcommand and what it takes: `list` and `watch` no word but options,
 * `approve` and `deny` one id at most (`xargs` gives it; a word with `$` is
 * not counted), no `--help`; a word that may vanish anywhere among them
 * (see the module's documentation). A title such as `thoth approvals watch
 * hangs` runs nothing (the CLI refuses it). `added`: `xargs` or `parallel`
 * runs it, and adds what it reads, the subcommand too. `gate`: `approvals`
 * is `words[from]` itself. Also where the reading before `approvals` ended:
 * the first word from `from` that is neither an option nor one that may
 * vanish (a reading from a later word up to there reads the same).
 */
export function approvalsAfter(
  words: readonly string[],
  from: number,
  added = false,
  gate = false,
): { runs: boolean; gateEnd: number } {
  let at: number = At.Gate;
  let gateEnd = words.length;
  // Past a subcommand's option that takes the next word as its value (`--reason`).
  let value = 0;
  // What the last word read is: read once for a run of one word (`$x $x …`).
  let last: string | undefined;
  let vanishes = false;
  let isGate = false;
  let subs = 0;
  for (let i = from; i < words.length && at !== 0; i++) {
    const word = words[i]!;
    const option = word.charCodeAt(0) === 45;
    if (word !== last) {
      last = word;
      vanishes = !option && mayVanish(word);
      isGate = mayBeGate(word);
      subs = option ? 0 : subcommandPlaces(word);
    }
    let next = 0;
    if (at & At.Gate) {
      if (!gate && (option || vanishes)) next |= At.Gate;
      else if (gateEnd === words.length) gateEnd = i;
      if (isGate) next |= At.Sub | At.SubClean;
    }
    if (at & (At.Sub | At.SubClean)) {
      if (option || vanishes) next |= at & (isHelp(word) ? At.Sub : At.Sub | At.SubClean);
      next |= subs;
    }
    if (at & PAST_SUB) {
      // A value's word is taken as it is; `--help` anywhere else refuses.
      const past = at & PAST_SUB;
      const taken = value & past;
      next |= taken;
      const left = past & ~taken;
      let nextValue = 0;
      if (left !== 0 && !isHelp(word)) {
        if (option) {
          next |= left;
          if (VALUE_OPTIONS.has(word)) nextValue = left;
        } else if (idMayBeAbsent(word)) next |= left;
        else if (left & At.Id0) next |= At.Id1;
      }
      value = nextValue;
    }
    at = next;
  }
  // `xargs` adds the subcommand and the id it reads (`echo approve ID | xargs thoth approvals`).
  return { runs: (at & PAST_SUB) !== 0 || (added && (at & At.SubClean) !== 0), gateEnd };
}

/**
 * Whether `words[at…]` is `approvals`, options, a subcommand, and then what
 * that subcommand takes (see {@linkcode approvalsAfter}).
 */
export function approvalsAt(words: readonly string[], at: number, added = false): boolean {
  return approvalsAfter(words, at, added, true).runs;
}
