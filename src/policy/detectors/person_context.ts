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
 *   `"name": `, `surname`);
 * - what looks like a person's name: two capitalized words (`Jane Doe`,
 *   `John Q. Smith`, `Mary O'Brien-Smith`), neither of them a word of
 *   addresses, shipping, payment, dates or greetings (`New York`, `Shipped
 *   Via`, `Net Terms`) and not followed by a company's suffix (`Acme Supply
 *   Co`). A product name in title case (`Blue Widget`) reads as a name too:
 *   the number is then read as an SSN, as it was before order ids were told
 *   apart.
 *
 * And among the keys of the object a value sits in ({@linkcode holdsPersonKey}):
 * a key that names a person or a person's record (`name`, `full_name`,
 * `firstName`, `patient`, `employee_id`, `member`, `dob`, `ssn`,
 * `diagnosis`). Pure; a look at one number reads at most
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
    "(?![A-Za-z])|(?<![A-Za-z\\s_-])name[\"']?\\s{0,2}[:=]",
  "i",
);

/** A capitalized word of a name: `Jane`, `O'Brien`, `McDonald`, `Smith-Jones`. */
const NAME_WORD = "[A-Z](?:[a-z]+|['\u2019][A-Z][a-z]+)(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?";
/**
 * Each capitalized word followed by another (a middle initial may stand
 * between), the second seen ahead so that `Via Jane Doe` still offers
 * `Jane Doe`; a company's suffix after the pair makes it a company's name.
 */
const NAME_PAIR = new RegExp(
  `(?<![A-Za-z'\u2019-])(${NAME_WORD})(?=[ \\t]{1,2}(?:[A-Z]\\.?[ \\t]{1,2})?(${NAME_WORD})` +
    `(?![A-Za-z'\u2019-])(?![ \\t,]{1,3}(?:Inc|LLC|Ltd|Co|Corp|Corporation|Company|GmbH|LLP|PLC)\\b))`,
  "g",
);
/** Capitalized words that are no part of a person's name in order, shipping or billing text. */
const NOT_NAMES: ReadonlySet<string> = new Set(
  ("order orders ordered invoice invoices tracking track confirmation confirmed ticket part sku " +
    "ref reference number total subtotal amount balance due paid payment price qty quantity item " +
    "items ship ships shipped shipping shipment delivered delivery deliver express ground standard " +
    "priority overnight next day same status pending processing complete completed cancelled " +
    "canceled refund refunded return returned returns exchange new york los angeles san francisco " +
    "diego jose las vegas saint street avenue ave road boulevard blvd lane drive suite ste apt " +
    "floor building park city county north south east west inc llc ltd corp company group store " +
    "shop online customer customers service services support team dear thanks thank you hello hi " +
    "please your our the and for to from via with by of on in at is has was will " +
    "monday tuesday wednesday thursday friday saturday sunday january february march april may " +
    "june july august september october november december jan feb mar apr jun jul aug sep sept " +
    "oct nov dec usd eur gbp ups usps fedex dhl amazon ebay shopify paypal visa mastercard amex " +
    "discover apple google microsoft united states america kingdom canada mail email post postal " +
    "box black cyber gift card cart checkout account receipt purchase sale sales product products " +
    "model size color colour unit units large small medium pro max plus mini edition free tax net " +
    "terms bill billing sold seller vendor supplier supply warehouse backorder back ready pickup " +
    "pick up out arriving arrived arrives expected estimated date time today tomorrow yesterday " +
    "week month year approved approval open closed resolved urgent high low issue request")
    .split(" "),
);

/**
 * Whether a person, health or payroll word, a name key or a person's name
 * lies within {@linkcode BEFORE} characters before `from` (where the phrase
 * that names a number starts) or {@linkcode AFTER} after `to` (its end).
 */
export function personContextNear(text: string, from: number, to: number): boolean {
  const before = text.slice(Math.max(0, from - BEFORE), from);
  const after = text.slice(to, to + AFTER);
  return WORDS.test(before) || WORDS.test(after) || holdsName(before) || holdsName(after);
}

/** Whether `text` holds two capitalized words that may be a person's name. */
function holdsName(text: string): boolean {
  for (const m of text.matchAll(NAME_PAIR)) {
    if (!NOT_NAMES.has(m[1]!.toLowerCase()) && !NOT_NAMES.has(m[2]!.toLowerCase())) return true;
  }
  return false;
}

/** Words a key's last word `name` may follow without naming a person (`product_name`, `hostname`). */
const THING_NAMES: ReadonlySet<string> = new Set(
  ("product item sku company business store shop file host domain user display brand model " +
    "category vendor merchant carrier service plan tool server app project repo branch bucket " +
    "table column field event page site org organization team group class method function " +
    "package module key queue topic channel device region zone city state country street " +
    "account path dir folder image tag label")
    .split(" "),
);
/** Words that name a person's record whatever key they are in. */
const RECORD_WORDS: ReadonlySet<string> = new Set(
  ("ssn ssns dob surname surnames birthdate birthday diagnosis diagnoses mrn medicare medicaid")
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
  return (last === "name" || last === "names") &&
    (words.length === 1 || !THING_NAMES.has(words.at(-2)!));
});

/** Answers already found, per list of keys (an object's keys are read once for all its values). */
const HELD = new WeakMap<readonly string[], boolean>();

/** Whether any of `keys` (an object's, beside a value) names a person; see {@linkcode isPersonKey}. */
export function holdsPersonKey(keys: readonly string[]): boolean {
  let held = HELD.get(keys);
  if (held === undefined) {
    held = keys.some(isPersonKey);
    HELD.set(keys, held);
  }
  return held;
}
