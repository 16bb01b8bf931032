/**
 * Whether text holds a person's name, as the SSN detector asks beside an
 * order or ticket id in an SSN's shape: a capitalized given name followed by
 * a capitalized word (`Jane Doe`, `John Q. Smith`, `Mary O'Brien-Smith`), or
 * a courtesy title before a capitalized word (`Mrs. Alvarez`). Two
 * capitalized words alone are no name: product and company names are
 * written so too (`Blue Widget`, `Acme Rocket`). Neither word may be a word
 * of addresses, shipping, payment, dates or greetings (`New York`, `Shipped
 * Via`), and a company's suffix after the pair (`Acme Supply Co`) makes it a
 * company's name. The given names are common ones in the United States;
 * one that is also an everyday word (`May`, `Will`, `Grant`) is left out.
 *
 * A field's value is a person's name ({@linkcode isPersonName}) when it is
 * two to four words of letters and its first word (or the word after a
 * comma, `Doe, Jane`) is a given name, in any case (`jane doe`), or a
 * courtesy title. Pure; each question reads its text once.
 *
 * @example
 * ```ts
 * holdsPersonName("Order 512-34-7788 for Jane Doe"); // true
 * holdsPersonName("Order 512-34-7788 for Acme Rocket"); // false
 * isPersonName("jane doe"); // true
 * isPersonName("Blue Widget"); // false
 * ```
 */

/** Common given names, lower case, none an everyday word of orders or dates. */
const GIVEN_NAMES: ReadonlySet<string> = new Set(
  ("mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty " +
    "sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah stephanie " +
    "dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma anna pamela " +
    "nicole samantha katherine christine helen debra rachel carolyn janet maria catherine diane " +
    "olivia julie joyce victoria ruth lauren kelly christina joan evelyn judith andrea hannah " +
    "megan cheryl jacqueline martha madison teresa gloria sara janice ann anne kathryn abigail " +
    "sophia frances jean alice judy isabella julia grace denise marilyn beverly danielle theresa " +
    "diana natalie brittany charlotte marie kayla alexis lori jane mia ava chloe ella zoe leah " +
    "nora sofia camila valeria lucia gabriela daniela mariana ana carmen rosa guadalupe elena " +
    "isabel fatima aisha priya mei yuki kate katie liz beth jen jenny meg sue sally molly annie " +
    "susie peggy wendy tina tracy stacy heidi erin kristen kristin allison alison vanessa " +
    "veronica monica erica jill joanne lynn tammy connie marjorie eleanor lillian irene louise " +
    "james robert john michael david william richard joseph thomas christopher charles daniel " +
    "matthew anthony donald steven paul andrew joshua kenneth kevin brian george timothy ronald " +
    "edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott " +
    "brandon benjamin samuel gregory alexander patrick raymond dennis jerry tyler aaron adam " +
    "nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger " +
    "terry sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel " +
    "joe logan alan juan albert willie elijah wayne randy vincent mason roy ralph bobby russell " +
    "bradley philip phillip eugene liam lucas oliver luis carlos miguel jorge pedro alejandro " +
    "fernando ricardo javier manuel francisco antonio mohammed muhammad ahmed omar wei hiroshi " +
    "raj rahul amit tom jim bob mike dave steve chris matt tony dan sam ben nick alex jon jake " +
    "josh andy tim rick greg jeff frank howard fred todd craig shawn derek travis marcus " +
    "leonard stanley martin louis jack harry")
    .split(" "),
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
/** A courtesy title and a capitalized word after it: `Mr. Smith`, `Ms Alvarez`. */
const TITLED = new RegExp(`(?<![A-Za-z])(?:Mr|Mrs|Ms|Mx|Miss)\\.?[ \\t]{1,2}(${NAME_WORD})`, "g");
/** A courtesy title as a field's first word. */
const TITLES: ReadonlySet<string> = new Set(["mr", "mrs", "ms", "mx", "miss"]);

/** Whether `text` holds a person's name (see the module doc). */
export function holdsPersonName(text: string): boolean {
  for (const m of text.matchAll(TITLED)) {
    if (!NOT_NAMES.has(m[1]!.toLowerCase())) return true;
  }
  for (const m of text.matchAll(NAME_PAIR)) {
    const first = m[1]!.toLowerCase();
    if (GIVEN_NAMES.has(first) && !NOT_NAMES.has(first) && !NOT_NAMES.has(m[2]!.toLowerCase())) {
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
  const comma = value.indexOf(",");
  const words = value.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 4 || !words.every((w) => FIELD_WORD.test(w))) {
    return false;
  }
  const lead = words[0]!.toLowerCase().replace(/\.$/, "");
  if (TITLES.has(lead)) return true;
  // `Doe, Jane`: the given name follows the comma.
  const after = comma === -1 ? "" : value.slice(comma + 1).trim().split(/\s+/)[0]!.toLowerCase();
  return [lead, after].some((given) => GIVEN_NAMES.has(given) && !NOT_NAMES.has(given));
}
