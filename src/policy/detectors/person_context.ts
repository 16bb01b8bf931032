/**
 * Whether the words around a number, or the keys beside it, say it belongs
 * to a person: the context that keeps an order or ticket id in an SSN's shape
 * an SSN. Within {@linkcode BEFORE} characters before the phrase that names
 * the number or {@linkcode AFTER} characters after the number:
 *
 * - a word for a person whose own number it may be (`patient`, `member`,
 *   `employee`, `beneficiary`, {@linkcode PERSON}), health plans and
 *   employers having used SSNs as member, patient and employee ids;
 * - a health, benefits or payroll word (`diagnosed`, `Medicare`, `Medicaid`,
 *   `DOB`, `insurance`, `claim`, `payroll`, `W-2`);
 * - a key that names a person written in the text (`full_name:`,
 *   `"customer_name": `, `Customer Name:`, `surname`, `Person:`), and a bare
 *   `name:` whose value reads as a person's name (`name: Jamal Washington`,
 *   not `Name: Blue Widget`), a bare `name` naming products, files and tools
 *   as often;
 * - a person's name (`Jane Doe`, `Jamal Washington`, `Nguyen Van Thanh`,
 *   `Mr. Alvarez`; see `person_name.ts`): a given name and a capitalized
 *   word, a capitalized word and a surname, or a courtesy title and one. Two
 *   capitalized words alone are no name, since product and company names are
 *   written so too (`Blue Widget`, `Acme Rocket`).
 *
 * And among the keys of the object a value sits in ({@linkcode holdsPersonKey}):
 * a key that names a person or a person's record (`full_name`,
 * `customer_name`, `firstName`, `patient`, `employee_id`, `member`,
 * `person`, `individual`, `dob`, `ssn`, `diagnosis`), or a bare `name` that
 * holds a person's name
 * ({@linkcode besideKeys}: `{"name": "Jane Doe"}`, not `{"name": "Blue
 * Widget"}`). A bare `name` key alone names no person, nor does a thing's
 * (`product_name`, `hostname`). Pure; a look at one number reads at most
 * `BEFORE + AFTER` characters, and a list of keys is read once.
 *
 * @example
 * ```ts
 * personContextNear("Ticket 512-34-7788: employee John Smith", 0, 18); // true
 * personContextNear("Order ID 512-34-7788 shipped to 5th Ave", 0, 20); // false
 * holdsPersonKey(["ticket", "full_name"]); // true
 * holdsPersonKey(["order_id", "total"]); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";
import { holdsPersonName, isPersonName, leadsWithPersonName } from "./person_name.ts";

/** Words for a person whose own number a reference word may name. */
export const PERSON =
  "patient|member|subscriber|insured|beneficiary|enrollee|employee|claimant|applicant|dependent|guarantor|policyholder";
/** How far before the phrase that names a number the words are read. */
export const BEFORE = 60;
/** How far after the number the words are read. */
export const AFTER = 80;

/** Health, benefits, payroll and identity words a number near them may be a person's by. */
const HEALTH =
  "diagnos[a-z]*|medicare|medicaid|d\\.?o\\.?b|date[\\s_-]?of[\\s_-]?birth|birth[\\s_-]?date|" +
  "insurance|insurer|claims?|clinic(?:al)?|hospital|medical|prescri(?:ption|bed)|physician|" +
  "treatment|hipaa|disability|payroll|taxpayer|irs";
/** A person word (plural or possessive too), a health word, a form number, a person's name key. */
const WORDS = new RegExp(
  `(?<![A-Za-z])(?:(?:${PERSON})(?:s|['\u2019]s|s['\u2019])?|${HEALTH})(?![A-Za-z])` +
    "|(?<![A-Za-z0-9])(?:w-?2|i-9)(?![A-Za-z0-9])" +
    "|(?<![A-Za-z])(?:(?:full|first|last|given|family|middle|legal|maiden)[\\s_-]?name|surname)" +
    "(?![A-Za-z])|(?<![A-Za-z])(?:person|individual)[\"']?\\s{0,2}[:=]",
  "i",
);
/**
 * A key or label that ends in `name`, written before `:` or `=`
 * (`"customer_name": `, `Customer Name:`, `patientName=`): the words before
 * `name` are read as {@linkcode isPersonKey} reads a key.
 */
const NAME_LABEL = /name["']?\s{0,2}[:=]/gi;
/** The key or label that ends at a `name` {@linkcode NAME_LABEL} found. */
const NAME_KEY = /(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{0,30}[ _-]?name$/i;

/**
 * Whether a person, health or payroll word, a name key or a person's name
 * lies within {@linkcode BEFORE} characters before `from` (where the phrase
 * that names a number starts) or {@linkcode AFTER} after `to` (its end).
 */
export function personContextNear(text: string, from: number, to: number): boolean {
  const before = text.slice(Math.max(0, from - BEFORE), from);
  const after = text.slice(to, to + AFTER);
  return WORDS.test(before) || WORDS.test(after) || holdsNameLabel(before) ||
    holdsNameLabel(after) || holdsPersonName(before) || holdsPersonName(after);
}

/**
 * Whether `text` holds a key or label for a person's name
 * ({@linkcode NAME_LABEL}), or a bare `name:` before a person's name.
 */
function holdsNameLabel(text: string): boolean {
  for (const m of text.matchAll(NAME_LABEL)) {
    const key = NAME_KEY.exec(text.slice(Math.max(0, m.index - 32), m.index + 4));
    if (
      key !== null ? isPersonKey(key[0]) : leadsWithPersonName(text.slice(m.index + m[0].length))
    ) {
      return true;
    }
  }
  return false;
}

/** Words a key's last word `name` may follow without naming a person (`product_name`, `hostname`). */
const THING_NAMES: ReadonlySet<string> = new Set(
  ("product item sku company business store shop file host domain user display brand model " +
    "category vendor merchant carrier service plan tool server app project repo branch bucket " +
    "table column field event page site org organization team group class method function " +
    "package module key queue topic channel device region zone city state country street " +
    "account path dir folder image tag label order campaign coupon promo discount variant option " +
    "collection catalog list report job task role resource database schema index attribute " +
    "property param parameter variable env config setting feature flag test")
    .split(" "),
);
/** Words that name a person's record whatever key they are in. */
const RECORD_WORDS: ReadonlySet<string> = new Set(
  ("ssn ssns dob surname surnames birthdate birthday diagnosis diagnoses mrn medicare medicaid " +
    "person persons individual individuals")
    .split(" "),
);
const PERSON_WORDS: ReadonlySet<string> = new Set(PERSON.split("|"));
/** The words of a key: `patientFullName`, `first-name`, `Date of Birth` read word by word. */
const KEY_WORDS = /[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|\d+/g;

/** Whether `key` names a person or a person's record (see the module doc). */
export const isPersonKey: (key: string) => boolean = keyNamed((key) => {
  const words = (key.match(KEY_WORDS) ?? []).map((w) => w.toLowerCase());
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const single = word.endsWith("s") ? word.slice(0, -1) : word;
    if (PERSON_WORDS.has(word) || PERSON_WORDS.has(single) || RECORD_WORDS.has(word)) return true;
    if (word === "birth" && (words[i - 1] === "of" || words[i + 1] === "date")) return true;
    if (word === "social" && words[i + 1] === "security") return true;
  }
  const last = words.at(-1);
  return (last === "name" || last === "names") && words.length > 1 &&
    !THING_NAMES.has(words.at(-2)!);
});

/** Answers already found, per list of keys (an object's keys are read once for all its values). */
const HELD = new WeakMap<readonly string[], boolean>();
/** Lists of keys whose object's bare `name` holds a person's name ({@linkcode besideKeys}). */
const NAMED_PEOPLE = new WeakSet<readonly string[]>();
/** The spellings of a bare `name` key whose value is read. */
const BARE_NAMES = ["name", "Name", "NAME"] as const;

/**
 * The keys of `object` (`keys`, its own) as the values in it are read beside
 * them: {@linkcode holdsPersonKey} then also holds them to name a person when a
 * bare `name` in it holds a person's name (`{"name": "Jane Doe", …}`, not
 * `{"name": "Blue Widget", …}`; see `person_name.ts`). Returns `keys`.
 *
 * @example
 * ```ts
 * const object = { name: "Jane Doe", order_id: "512-34-7788" };
 * holdsPersonKey(besideKeys(object, Object.keys(object))); // true
 * ```
 */
export function besideKeys(
  object: Readonly<Record<string, unknown>>,
  keys: readonly string[],
): readonly string[] {
  for (const bare of BARE_NAMES) {
    const value = Object.hasOwn(object, bare) ? object[bare] : undefined;
    if (typeof value === "string" && isPersonName(value)) NAMED_PEOPLE.add(keys);
  }
  return keys;
}

/** Whether any of `keys` (an object's, beside a value) names a person; see {@linkcode isPersonKey}. */
export function holdsPersonKey(keys: readonly string[]): boolean {
  let held = HELD.get(keys);
  if (held === undefined) {
    held = NAMED_PEOPLE.has(keys) || keys.some(isPersonKey);
    HELD.set(keys, held);
  }
  return held;
}
