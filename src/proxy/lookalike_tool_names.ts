/**
 * Tool names a server lists that a person could take for others: a name
 * holding an invisible, format or control character (a zero-width space, a
 * bidirectional override), and two names that differ only in letter case or
 * Unicode compatibility form (`Wipe` and `wipe`, `ｗｉｐｅ` and `wipe`),
 * which an approval prompt or a log reader may not tell apart. Gives the one
 * note the session prints about a listing, or undefined when it has none.
 * Look-alike letters of other scripts (a Cyrillic `і` in `wіpe`) are not
 * detected here: every display of such a name escapes them. Pure.
 *
 * @example
 * ```ts
 * lookalikeNamesNote("docs", ["wipe", "wipe\u200b", "Wipe"]);
 * // 'server "docs" lists tool names that could pass for others: "wipe\\u200b" holds …'
 * ```
 */
import { escapedName } from "../audit/name_cell.ts";

/** Characters a screen may draw as nothing or that act on the text around them. */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/u;
const HIDDEN_ALL = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;

/** How many names of each kind the note shows. */
const SHOWN = 3;
/** The longest a name gets in the note. */
const NAME_MAX = 80;

/** The note about `names` (one listing's tools, in order), or undefined when none could pass for another. */
export function lookalikeNamesNote(server: string, names: readonly string[]): string | undefined {
  const hidden: string[] = [];
  const pairs: [string, string][] = [];
  const seen = new Map<string, string>();
  let hiddenCount = 0;
  let pairCount = 0;
  for (const name of names) {
    if (HIDDEN.test(name)) {
      hiddenCount += 1;
      if (hidden.length < SHOWN) hidden.push(name);
    }
    const key = name.replace(HIDDEN_ALL, "").normalize("NFKC").toLowerCase();
    const other = seen.get(key);
    if (other === undefined) {
      seen.set(key, name);
    } else if (other !== name) {
      pairCount += 1;
      if (pairs.length < SHOWN) pairs.push([other, name]);
    }
  }
  if (hiddenCount === 0 && pairCount === 0) return undefined;
  const shown = (name: string) => escapedName(name, NAME_MAX);
  const parts: string[] = [];
  if (hiddenCount > 0) {
    parts.push(
      `${hidden.map(shown).join(", ")}${more(hiddenCount)} ${
        hiddenCount === 1 ? "holds" : "hold"
      } an invisible, format or control character`,
    );
  }
  if (pairCount > 0) {
    parts.push(
      `${pairs.map(([a, b]) => `${shown(a)} and ${shown(b)}`).join(", ")}${more(pairCount)} ` +
        "differ only in letter case, Unicode form or such characters",
    );
  }
  return `server ${shown(server)} lists tool names that could pass for others: ${
    parts.join("; ")
  } (a call names its tool exactly; check which one a prompt or the audit log means)`;
}

function more(count: number): string {
  return count > SHOWN ? ` and ${count - SHOWN} more` : "";
}
