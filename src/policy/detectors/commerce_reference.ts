/**
 * Whether a number is named as a commerce reference: an order, invoice,
 * tracking, confirmation, purchase order (`PO`), `SKU`, part or ticket
 * number. Such ids are often written `512-34-7788`, the shape of a Social
 * Security number, so the SSN detector lets a bare dashed number pass when
 * one of these words names it: written right before it (`Order ID
 * 512-34-7788`, `Invoice #512-34-7788`, `PO# 512-34-7788`, `Orders: …`), with
 * only `:` `#` `-` `.` `=` `/`, quotes or white space between (`?order=…`,
 * `/orders/…`, `"order_id":"…"`) and optionally `ID`, `no`, `number`,
 * `code`, `ref` or `reference` after the word (`Order Ref: …`); or as the key
 * it sits under (`order_id`, `invoiceNumber`, `tracking_no`, `order_ref`,
 * `Order #`).
 *
 * `ref` and `reference` alone are no such word, in text or as a key: clinical
 * text writes them for a referral (`Ref: 512-34-7788`), and a letter quotes
 * its own reference under them. Nor are the words health records use for a
 * person's own number: `ID` alone, `case` (case management and workers'
 * compensation case numbers have been SSNs), `claim`, `account`. Nor is a key
 * that names a person (`patient_ref`, `member_order_no`), since health plans
 * have used SSNs as member and patient ids. Whether words or keys around the
 * number make it a person's all the same is `person_context.ts`'s question.
 * Pure; each question looks at a bounded stretch of text.
 *
 * @example
 * ```ts
 * commerceReferenceBefore("Order ID 512-34-7788", 9); // 0
 * commerceReferenceBefore("Order Ref: 512-34-7788", 11); // 0
 * commerceReferenceBefore("/orders/512-34-7788", 8); // 1
 * commerceReferenceBefore("Ref: 512-34-7788", 5); // undefined
 * commerceReferenceBefore("Patient ID 512-34-7788", 11); // undefined
 * isCommerceReferenceKey("order_id"); // true
 * isCommerceReferenceKey("ref"); // false
 * isCommerceReferenceKey("patient_ref"); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";
import { PERSON } from "./person_context.ts";

/** The reference words (`p.o.` as people write it). */
const WORDS = "order|invoice|tracking|confirmation|p\\.?o\\.?|sku|part|ticket";
/** What may follow the word: `ID`, `no`, `number`, `code`, `ref`, `reference`. */
const SUFFIXES = "id|no|nbr|num|number|code|ref|reference";
/**
 * The word at a word's start (not `reorder`, `apart`) or starting a camelCase
 * word (`purchaseOrderId`), maybe plural (`Orders:`), a suffix (`Order IDs`),
 * then only `:` `#` `-` `.` `=` `/`, quotes or white space up to the number:
 * a URL's query or path (`?order=`, `/orders/`) and a key in JSON text
 * (`"order_id":"`) name it too. 40 characters hold the longest such phrase
 * with room before it for the look behind.
 */
const BEFORE = new RegExp(
  `(?:(?<![A-Za-z])|(?-i:(?<=[a-z])(?=[A-Z])))(?:${WORDS})s?` +
    `(?:[\\s_.-]{0,2}(?:${SUFFIXES})s?)?[\\s:#.=/"'-]{0,6}$`,
  "i",
);
const LOOK_BACK = 40;

/**
 * Where the reference phrase that names the number starting at `at` begins
 * (`Order ID: ` in `Order ID: 512-34-7788`), or undefined when none does.
 */
export function commerceReferenceBefore(text: string, at: number): number | undefined {
  const from = Math.max(0, at - LOOK_BACK);
  const found = BEFORE.exec(text.slice(from, at));
  return found === null ? undefined : from + found.index;
}

/** Keys that end in a reference word: `order_id`, `PO_Number`, `Order` (from `Order #`), `skus`. */
const SNAKE_KEY = new RegExp(
  `^(?:[a-z0-9]{1,30}[_-]){0,3}(?:order|invoice|tracking|confirmation|po|sku|part|ticket)` +
    `(?:[_-]?(?:${SUFFIXES}))?s?$`,
  "i",
);
/** `purchaseOrderId`, `customerOrderNumber`, `shipmentTrackingNo`, `orderRef`. */
const CAMEL_KEY =
  /^[a-z][a-z0-9]{0,30}(?:[A-Z][a-z0-9]{0,30}){0,2}(?:Order|Invoice|Tracking|Confirmation|Po|PO|Sku|SKU|Part|Ticket)(?:Id|ID|No|NO|Nbr|Num|Number|NUMBER|Code|Ref|Reference)?s?$/;
/** A key that names a person's or an SSN's number, whatever it ends in. */
const PERSON_KEY = new RegExp(`${PERSON}|ssn|social`, "i");

/** Whether `key` names a commerce reference number (see the module doc). */
export const isCommerceReferenceKey: (key: string) => boolean = keyNamed((key) =>
  (SNAKE_KEY.test(key) || CAMEL_KEY.test(key)) && !PERSON_KEY.test(key)
);
