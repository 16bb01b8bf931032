/**
 * Whether text holds a person's name, as the SSN detector asks beside an
 * order or ticket id in an SSN's shape. In free text
 * ({@linkcode holdsPersonName}): two capitalized words (a middle initial may
 * stand between) whose first is a common given name (`Jane Doe`, `Jamal
 * Washington`, `John Q. Smith`) or whose last is a common surname (`Xiu
 * Garcia`), or whose first is a surname written first (`Nguyen Van Thanh`,
 * `Kim Soo`); or a courtesy title before a capitalized word (`Mrs.
 * Alvarez`). Two capitalized words alone are no name: product and company
 * names are written so too (`Blue Widget`, `Acme Rocket`). Neither word may
 * be a word of addresses, shipping, payment, dates or greetings (`New York`,
 * `Shipped Via`) or of products ({@linkcode PRODUCT_WORDS}: `Soap`, `Kit`),
 * a place's first word before the pair (`San Diego Padres`, `Port
 * Washington`) makes it a place's, a company's suffix after it (`Acme
 * Supply Co`) a company's, and a brand named as a person (`Mr. Coffee`,
 * `Mrs. Meyer's`) is none. The names are in `common_names.ts`.
 *
 * A field's value, or the text after a bare `name:` label, is a person's
 * name ({@linkcode isPersonName}, {@linkcode leadsWithPersonName}) when it is
 * two to four words of letters, in any case (`jane doe`, `Doe, Jane`,
 * `Oluwaseun Adeyemi`), that read as a name: no word a product word, and
 * either a courtesy title first, a common given name or surname in it, or no
 * word of orders, places, colors or placeholder companies (`Blue Widget`,
 * `Navy Blue`, `Acme Rocket` are none). A name none of the lists knows
 * counts there, the label or key saying it is one. Pure; each question reads
 * its text once.
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
/** Brands named as a person, after the title, lower case (`Mr. Coffee`, `Mrs. Meyer's`). */
const TITLE_BRANDS: ReadonlySet<string> = new Set(
  "coffee clean bubble heater pibb sketch meyer's meyers butterworth's butterworths".split(" "),
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
/** A place's first word right before a pair: `San Jose Sharks`, `Fort Washington`. */
const PLACE_BEFORE =
  /(?<![A-Za-z])(?:San|Santa|Santo|Los|Las|El|Del|Saint|St|Fort|Ft|Mount|Mt|Port|Lake|Cape)\.?[ \t]{1,2}$/;
/** A courtesy title and a capitalized word after it (`Mr. Smith`, `Ms Alvarez`), its `'s` too. */
const TITLED = new RegExp(
  `(?<![A-Za-z])(?:Mr|Mrs|Ms|Mx|Miss)\\.?[ \\t]{1,2}(${NAME_WORD}(?:['\u2019]s)?)`,
  "g",
);
/** A courtesy title as a field's first word. */
const TITLES: ReadonlySet<string> = new Set(["mr", "mrs", "ms", "mx", "miss"]);

/** `word` lower case, `’` written `'`. */
function lower(word: string): string {
  return word.toLowerCase().replace(/\u2019/g, "'");
}

/** Whether lower-case `word` is a product's word, its plural too (`Socks`, `Kits`). */
function isProductWord(word: string): boolean {
  return PRODUCT_WORDS.has(word) || (word.endsWith("s") && PRODUCT_WORDS.has(word.slice(0, -1)));
}

/** Whether lower-case `word` can be no part of a person's name in order text. */
function notName(word: string): boolean {
  return NOT_NAMES.has(word) || isProductWord(word);
}

/** Whether lower-case `word` is a common surname, or ends in one after a hyphen (`x-garcia`). */
function isSurname(word: string): boolean {
  return SURNAMES.has(word) ||
    (word.includes("-") && SURNAMES.has(word.slice(word.lastIndexOf("-") + 1)));
}

/** Whether `text` holds a person's name (see the module doc). */
export function holdsPersonName(text: string): boolean {
  for (const m of text.matchAll(TITLED)) {
    const word = lower(m[1]!);
    const bare = word.endsWith("'s") ? word.slice(0, -2) : word;
    if (!TITLE_BRANDS.has(word) && !TITLE_BRANDS.has(bare) && !notName(bare)) return true;
  }
  for (const m of text.matchAll(NAME_PAIR)) {
    const first = lower(m[1]!);
    const last = lower(m[2]!);
    if (
      (GIVEN_NAMES.has(first) || isSurname(last) || SURNAMES_FIRST.has(first)) &&
      !notName(first) && !notName(last) &&
      !PLACE_BEFORE.test(text.slice(Math.max(0, m.index - 8), m.index))
    ) {
      return true;
    }
  }
  return false;
}

/** A field's value as words: letters, with `'`, `-` or a final `.` (an initial) inside. */
const FIELD_WORD = /^[A-Za-z][A-Za-z'\u2019-]*\.?$/;

/** Whether a field's value (a bare `name`'s) is a person's name (see the module doc). */
export function isPersonName(value: string): boolean {
  if (value.length > 80) return false;
  const words = value.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 4 || !words.every((w) => FIELD_WORD.test(w))) {
    return false;
  }
  const lowered = words.map((w) => lower(w).replace(/\.$/, ""));
  if (lowered.some(isProductWord)) return false;
  if (TITLES.has(lowered[0]!)) return !TITLE_BRANDS.has(lowered[1]!);
  if (
    lowered.some((w) => (GIVEN_NAMES.has(w) && !NOT_NAMES.has(w)) || isSurname(w))
  ) {
    return true;
  }
  return !lowered.some((w) => NOT_NAMES.has(w) || COLORS.has(w) || PLACEHOLDERS.has(w));
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
  while (kept < words.length && kept < 4 && /^[A-Za-z][A-Za-z'\u2019.,-]*$/.test(words[kept]!)) {
    kept++;
  }
  while (kept > 2 && NOT_NAMES.has(lower(words[kept - 1]!))) kept--;
  return isPersonName(words.slice(0, kept).join(" "));
}
