/**
 * Whether text holds a person's name, as the SSN detector asks beside an
 * order or ticket id in an SSN's shape. In free text
 * ({@linkcode holdsPersonName}): two capitalized words, in any alphabet with
 * case (a middle initial may stand between), whose first is a common given
 * name (`Jane Doe`, `Jamal Washington`, `José García`, `John Q. Smith`) or
 * whose last is a common surname (`Xiu Garcia`), or a surname written first
 * with a given name or a third name word after it (`Nguyen Van Thanh`, `Kim
 * Soo`, not `Chen Industries`); a surname, a comma and a given name (`Garcia,
 * Jose`); or a courtesy or academic title before a capitalized word (`Mrs.
 * Alvarez`, `Dr. Chen`). Accents are folded before the lists are read
 * (`josé` is `jose`). Two capitalized words alone are no name: product and
 * company names are written so too (`Blue Widget`, `Acme Rocket`). Neither
 * word may be a word of addresses, shipping, payment, dates or greetings
 * (`New York`, `Shipped Via`), of products ({@linkcode PRODUCT_WORDS}:
 * `Soap`, `Kit`), of software and operations ({@linkcode TECH_WORDS}:
 * `Hadoop`, `Pipeline`) or of companies (`Labs`, `Industries`); a place's
 * first word before the pair (`San Diego Padres`, `Port Washington`) makes
 * it a place's, a company's word after it (`Acme Supply Co`, `Kim Chi
 * Kitchen`) a company's, a software or product word before it (`Kubernetes
 * Jenkins Martin`) a product's, and a brand named as a person (`Mr. Coffee`,
 * `Dr. Pepper`, `Sherwin Williams`, `Aston Martin`) is none, unless it
 * starts with a common given name (`Ralph Lauren`, `Calvin Klein` are read
 * as a person's). Two letters or more in a row of a script without case
 * (Han, Hangul, kana, Arabic, Hebrew, Thai, Devanagari: `李明`, `김민준`,
 * `山田太郎`) may be a name, and no form there tells a name from another
 * word, so such text counts as one: an order id beside it stays an SSN
 * (asked), missing an SSN costing more than a question. The names are in
 * `common_names.ts`.
 *
 * A field's value, or the text after a bare `name:` label, is a person's
 * name ({@linkcode isPersonName}, {@linkcode leadsWithPersonName}) when it is
 * two to four words of letters (`jane doe`, `Doe, Jane`, `Zoë Müller`) that
 * read as a name: no word of products, software or companies, and either a
 * courtesy title first, a common given name or surname in it (in any case),
 * or every word capitalized (`Oluwaseun Adeyemi`) and none of orders,
 * places, colors, placeholder companies or scents and seasons (`Blue
 * Widget`, `Navy Blue`, `Ocean Mist`, `prod cluster` are none). A name none
 * of the lists knows counts there, the label or key saying it is one; so
 * does a value of one to four words in a script without case (`李明`,
 * `김 민준`). Pure;
 * each question reads its text once.
 *
 * @example
 * ```ts
 * holdsPersonName("Order 512-34-7788 for Jane Doe"); // true
 * holdsPersonName("Ticket 512-34-7788 for Nguyen Van Thanh"); // true
 * holdsPersonName("Order 512-34-7788 for Acme Rocket"); // false
 * holdsPersonName("Order 512-34-7788: Mr. Coffee 12-cup maker"); // false
 * isPersonName("jane doe"); // true
 * isPersonName("Oluwaseun Adeyemi"); // true
 * isPersonName("Blue Widget"); // false
 * leadsWithPersonName(' "Jose Garcia", "order_id"'); // true
 * ```
 */
import { GIVEN_NAMES, SURNAMES, SURNAMES_FIRST } from "./common_names.ts";

/** Capitalized words that are no part of a person's name in order, shipping or billing text. */
const NOT_NAMES: ReadonlySet<string> = new Set(
  ("order orders ordered invoice invoices tracking track confirmation confirmed ticket part sku " +
    "ref reference number total subtotal amount balance due paid payment price qty quantity item " +
    "items ship ships shipped shipping shipment delivered delivery deliver express ground standard " +
    "priority overnight next day same status pending processing complete completed cancelled " +
    "canceled refund refunded return returned returns exchange new york los angeles san francisco " +
    "las vegas santa saint st fort ft mount mt port lake cape street avenue ave road boulevard " +
    "blvd lane drive suite ste apt floor building park city county north south east west inc " +
    "llc ltd corp company group store " +
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
 * Words of things sold (a short list, singular; a final `s` is dropped
 * before the look): with one, two capitalized words or a field's value are
 * a product's name (`Blue Widget`, `Mrs. Meyer's hand soap`).
 */
const PRODUCT_WORDS: ReadonlySet<string> = new Set(
  ("widget gadget gizmo kit pack set bundle edition cable charger adapter case cover sleeve cup " +
    "mug soap shampoo lotion cream serum spray cleaner bottle bag shirt tee hoodie jacket shoe " +
    "sneaker sock hat sticker poster book toy game puzzle rocket robot drone kart lamp bulb " +
    "battery phone laptop tablet keyboard mouse monitor speaker headphone earbud chair desk " +
    "mat pillow blanket towel filter refill cartridge ink toner pen pencil marker tool drill " +
    "blade knife pan pot kettle maker blender coffee tea candle sauce snack cookie vitamin " +
    "supplement oil wax vase polo sandal boot jeans deluxe premium classic original ultra lite " +
    "collection series subscription plan tier license model size color colour cotton leather " +
    "wireless portable organic refurbished replacement accessory sale")
    .split(" "),
);
/**
 * Words of software, operations and office work (`Build Pipeline`, `nginx
 * ingress`, `Quarterly Report`, `Apache Hadoop`), of food and drink sold
 * by name (`Vanilla Latte`) and of offers (`Holiday Special`): no part of a
 * person's name, in a field or in free text.
 */
const TECH_WORDS: ReadonlySet<string> = new Set(
  ("cluster server backup report branch pipeline database db ingress egress release build " +
    "deploy deployment staging stage prod production dev development nightly weekly daily " +
    "hourly monthly quarterly annual typo fix hotfix bug patch merge commit repo repository " +
    "config cache queue worker node pod container proxy gateway router firewall endpoint " +
    "api sdk cli script cron job runner agent daemon service instance replica shard bucket " +
    "volume snapshot migration schema index log logs metrics dashboard alert monitor " +
    "kubernetes apache hadoop docker nginx redis kafka postgres postgresql mysql mongodb " +
    "elasticsearch grafana prometheus terraform ansible github gitlab jira linux ubuntu debian " +
    "windows python java golang javascript typescript latte espresso mocha cappuccino " +
    "frappuccino smoothie special specials deal deals combo promo")
    .split(" "),
);
/**
 * Words of scents, seasons and nature that name products (`Ocean Mist`,
 * `Summer Breeze`, `Garden Hose`): no name by themselves, though some are
 * given names too, so they only stop a value no name list knows.
 */
const SCENE_WORDS: ReadonlySet<string> = new Set(
  ("garden hose ocean mist breeze summer winter spring autumn fall holiday vanilla sunset " +
    "sunrise forest meadow rain snow ice frost fresh cool sweet honey cherry berry lavender " +
    "mint citrus coconut caramel chocolate cinnamon pumpkin spice pine cedar sea sky moon " +
    "star sun storm thunder harvest festive party morning evening night midnight")
    .split(" "),
);
/**
 * Company words: after a name pair, or as one of its words, they make it a
 * company's (`Chen Industries`, `Wang Labs`, `Kim Chi Kitchen`).
 */
const COMPANY_WORDS =
  "Inc|LLC|Ltd|Co|Corp|Corporation|Company|GmbH|LLP|PLC|Industries|Labs|Laboratories|" +
  "Kitchen|Brothers|Bros|Group|Holdings|Partners|Associates|Enterprises|Foods|Systems|" +
  "Technologies|Solutions|Motors|Studios|Media|Consulting|Capital|Bank|Insurance|Restaurant|" +
  "Cafe|Bakery|Pharmacy|Pharma|Logistics|Imports|Trading|International|Global|Ventures";
const COMPANY: ReadonlySet<string> = new Set(COMPANY_WORDS.toLowerCase().split("|"));
/**
 * Brands written as a person's name (`Sherwin Williams`, `Aston Martin`),
 * lower case, none starting with a common given name: a pair that does
 * (`Ralph Lauren`, `Calvin Klein`, `Tommy Hilfiger`, `John Deere`, `Bob
 * Evans`) is a name a customer can bear, so an order id beside it stays an
 * SSN. Missing an SSN costs more than a question; the brand exemption is a
 * convenience.
 */
const BRAND_PAIRS: ReadonlySet<string> = new Set([
  "sherwin williams",
  "aston martin",
  "warby parker",
  "booz allen",
  "harley davidson",
  "lee cooper",
  "kim chi",
  "marks spencer",
  "dolce gabbana",
  "johnnie walker",
  "morgan stanley",
  "goldman sachs",
  "merrill lynch",
  "ernst young",
  "dow jones",
  "rolls royce",
  "mercedes benz",
]);
/** Colors: no name on their own (`Navy Blue`), though `Jamal Green` is one by its given name. */
const COLORS: ReadonlySet<string> = new Set(
  ("red blue green black white gray grey silver gold pink purple orange yellow navy teal beige " +
    "brown tan maroon ivory cream charcoal olive turquoise violet")
    .split(" "),
);
/** Placeholder and sample companies' words (`Acme Rocket`). */
const PLACEHOLDERS: ReadonlySet<string> = new Set(
  "acme contoso fabrikam initech globex example sample demo test".split(" "),
);
/** Brands named as a person, after the title, lower case (`Mr. Coffee`, `Mrs. Meyer's`, `Dr. Pepper`). */
const TITLE_BRANDS: ReadonlySet<string> = new Set(
  ("coffee clean bubble heater pibb sketch meyer's meyers butterworth's butterworths pepper " +
    "martens scholl scholl's scholls bronner bronner's bronners oetker")
    .split(" "),
);

/**
 * A capitalized word of a name, in any alphabet with case: `Jane`,
 * `O'Brien`, `McDonald`, `Smith-Jones`, `José`, `Łukasz`, `Иван`.
 */
const NAME_WORD =
  "\\p{Lu}(?:\\p{Ll}+|['\u2019]\\p{Lu}\\p{Ll}+)(?:\\p{Lu}\\p{Ll}+)?(?:-\\p{Lu}\\p{Ll}+)?";
/** Letters of any alphabet, and the marks inside a name word, that may not touch a pair. */
const LETTER = "\\p{L}'\u2019-";
/**
 * Each capitalized word followed by another (a middle initial may stand
 * between), the second seen ahead so that `Via Jane Doe` still offers
 * `Jane Doe`; a company's word after the pair makes it a company's name.
 */
const NAME_PAIR = new RegExp(
  `(?<![${LETTER}])(${NAME_WORD})(?=[ \\t]{1,2}(?:\\p{Lu}\\.?[ \\t]{1,2})?(${NAME_WORD})` +
    `(?![${LETTER}])(?![ \\t,]{1,3}(?:${COMPANY_WORDS})(?![\\p{L}])))`,
  "gu",
);
/** A name word right at the start of text (after the pair's second word). */
const NEXT_WORD = new RegExp(`^[ \\t]{1,2}(${NAME_WORD})(?![${LETTER}])`, "u");
/** The word right before a pair (`Apache` in `Apache Hadoop Jenkins`). */
const WORD_BEFORE = /(\p{L}+)[ \t]{1,2}$/u;
/** `Surname, Given` (`Garcia, Jose`, `Doe, Jane`). */
const SURNAME_COMMA = new RegExp(
  `(?<![${LETTER}])(${NAME_WORD}),[ \\t]{1,2}(${NAME_WORD})(?![${LETTER}])`,
  "gu",
);
/** A place's first word right before a pair: `San Jose Sharks`, `Fort Washington`. */
const PLACE_BEFORE =
  /(?<![A-Za-z])(?:San|Santa|Santo|Los|Las|El|Del|Saint|St|Fort|Ft|Mount|Mt|Port|Lake|Cape)\.?[ \t]{1,2}$/;
/** A courtesy or academic title and a capitalized word after it (`Mr. Smith`, `Dr Alvarez`), its `'s` too. */
const TITLED = new RegExp(
  `(?<![\\p{L}])(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof)\\.?[ \\t]{1,2}(${NAME_WORD}(?:['\u2019]s)?)`,
  "gu",
);
/** A courtesy or academic title as a field's first word. */
const TITLES: ReadonlySet<string> = new Set(["mr", "mrs", "ms", "mx", "miss", "dr", "prof"]);
/**
 * Two letters in a row of a script without case (`\p{Lo}`: Han, Hangul, kana,
 * Arabic, Hebrew, Thai, Devanagari…); `º` and `ª` in `Nº` stand alone.
 */
const CASELESS_RUN = /\p{Lo}\p{Lo}/u;
/** A field's value written wholly in a script without case: one to four words. */
const CASELESS_VALUE = /^\p{Lo}+(?:[ \u3000]\p{Lo}+){0,3}$/u;

/** Letters that keep no mark when accents are folded (`Ł` is no `L` with one in Unicode). */
const FOLDS: Readonly<Record<string, string>> = {
  "ł": "l",
  "ø": "o",
  "đ": "d",
  "ß": "ss",
  "æ": "ae",
  "œ": "oe",
  "ı": "i",
};

/** `word` lower case, `’` written `'`, accents folded (`José` → `jose`, `Łukasz` → `lukasz`). */
function lower(word: string): string {
  const low = word.toLowerCase().replace(/\u2019/g, "'");
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(low)) return low;
  return low.normalize("NFD").replace(/\p{M}+/gu, "").replace(/[łøđßæœı]/g, (c) => FOLDS[c]!);
}

/** Whether lower-case `word` is a product's word, its plural too (`Socks`, `Kits`). */
function isProductWord(word: string): boolean {
  return PRODUCT_WORDS.has(word) || (word.endsWith("s") && PRODUCT_WORDS.has(word.slice(0, -1)));
}

/** Whether lower-case `word` can be no part of a person's name in order text. */
function notName(word: string): boolean {
  return NOT_NAMES.has(word) || isProductWord(word) || TECH_WORDS.has(word) || COMPANY.has(word);
}

/** Whether lower-case `word` is a common surname, or ends in one after a hyphen (`x-garcia`). */
function isSurname(word: string): boolean {
  return SURNAMES.has(word) ||
    (word.includes("-") && SURNAMES.has(word.slice(word.lastIndexOf("-") + 1)));
}

/**
 * Whether the pair whose second word `second` starts at or after `from` in
 * `text` goes on into a name word (`Nguyen Van Thanh`): a surname written
 * first needs it, or a given name second (`Kim Soo`).
 */
function goesOn(text: string, second: string, from: number): boolean {
  if (GIVEN_NAMES.has(lower(second))) return true;
  const at = text.indexOf(second, from);
  const next = NEXT_WORD.exec(text.slice(at + second.length, at + second.length + 40));
  return next !== null && !notName(lower(next[1]!));
}

/** Whether `text` holds a person's name (see the module doc). */
export function holdsPersonName(text: string): boolean {
  if (CASELESS_RUN.test(text)) return true;
  for (const m of text.matchAll(TITLED)) {
    const word = lower(m[1]!);
    const bare = word.endsWith("'s") ? word.slice(0, -2) : word;
    if (!TITLE_BRANDS.has(word) && !TITLE_BRANDS.has(bare) && !notName(bare)) return true;
  }
  for (const m of text.matchAll(NAME_PAIR)) {
    const first = lower(m[1]!);
    const last = lower(m[2]!);
    if (
      !notName(first) && !notName(last) && !BRAND_PAIRS.has(`${first} ${last}`) &&
      (GIVEN_NAMES.has(first) || isSurname(last) ||
        (SURNAMES_FIRST.has(first) && goesOn(text, m[2]!, m.index + m[1]!.length))) &&
      !PLACE_BEFORE.test(text.slice(Math.max(0, m.index - 8), m.index)) &&
      !thingBefore(text.slice(Math.max(0, m.index - 24), m.index))
    ) {
      return true;
    }
  }
  for (const m of text.matchAll(SURNAME_COMMA)) {
    const first = lower(m[1]!);
    if (GIVEN_NAMES.has(lower(m[2]!)) && !notName(first) && !GIVEN_NAMES.has(first)) return true;
  }
  return false;
}

/**
 * Whether `before` (the text before a pair) ends in a capitalized word of
 * software or products, the pair going on a product's name (`Kubernetes
 * Jenkins Martin`).
 */
function thingBefore(before: string): boolean {
  const m = WORD_BEFORE.exec(before);
  if (m === null || !/^\p{Lu}/u.test(m[1]!)) return false;
  const word = lower(m[1]!);
  return TECH_WORDS.has(word) || isProductWord(word);
}

/** A field's value as words: letters, with `'`, `-` or a final `.` (an initial) inside. */
const FIELD_WORD = /^\p{L}[\p{L}'\u2019-]*\.?$/u;
/** A word written capitalized: its first letter upper case, the rest not all upper case. */
const CAPITALIZED = /^\p{Lu}(?:\.?$|.*\p{Ll})/u;

/** Whether a field's value (a bare `name`'s) is a person's name (see the module doc). */
export function isPersonName(value: string): boolean {
  if (value.length > 80) return false;
  if (CASELESS_VALUE.test(value.trim())) return true;
  const words = value.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 4 || !words.every((w) => FIELD_WORD.test(w))) {
    return false;
  }
  const lowered = words.map((w) => lower(w).replace(/\.$/, ""));
  if (lowered.some((w) => isProductWord(w) || TECH_WORDS.has(w) || COMPANY.has(w))) return false;
  if (TITLES.has(lowered[0]!)) return !TITLE_BRANDS.has(lowered[1]!);
  if (
    lowered.some((w) => (GIVEN_NAMES.has(w) && !NOT_NAMES.has(w)) || isSurname(w))
  ) {
    return true;
  }
  return words.every((w) => CAPITALIZED.test(w)) &&
    !lowered.some((w) =>
      NOT_NAMES.has(w) || COLORS.has(w) || PLACEHOLDERS.has(w) || SCENE_WORDS.has(w)
    );
}

/** Where a label's value ends: a line's end, a quote, `;`, `|`, a brace or bracket. */
const VALUE_END = /[\r\n"\u201d;|{}[\]]/;

/**
 * Whether the text after a bare `name:` label (`text`) starts with a
 * person's name: its first words, up to a comma (past one after a single
 * word: `Doe, Jane`), quote or line's end, read by {@linkcode isPersonName}
 * up to four, a word of orders after them left out (`name: Jamal
 * Washington order …`).
 */
export function leadsWithPersonName(text: string): boolean {
  let value = text.slice(0, 90).replace(/^[\s"'\u201c]+/, "");
  const end = value.search(VALUE_END);
  if (end !== -1) value = value.slice(0, end);
  const parts = value.split(",");
  const head = parts[0]!.trim();
  value = /\s/.test(head) || parts.length === 1 ? head : `${head}, ${parts[1]!.trim()}`;
  const words = value.split(/[ \t]+/).filter((w) => w.length > 0);
  let kept = 0;
  while (kept < words.length && kept < 4 && /^\p{L}[\p{L}'\u2019.,-]*$/u.test(words[kept]!)) {
    kept++;
  }
  while (kept > 2 && NOT_NAMES.has(lower(words[kept - 1]!))) kept--;
  return isPersonName(words.slice(0, kept).join(" "));
}
