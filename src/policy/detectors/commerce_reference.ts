/**
 * Whether a number is named as a commerce reference: an order, invoice,
 * tracking, confirmation, purchase order (`PO`), `SKU`, part, ticket or
 * reference number. Such ids are often written `512-34-7788`, the shape of a
 * Social Security number, so the SSN detector lets a bare dashed number pass
 * when one of these words names it: written right before it (`Order ID
 * 512-34-7788`, `Invoice #512-34-7788`, `PO# 512-34-7788`, `Ref: …`), with
 * only `:` `#` `-` `.` or white space between and optionally `ID`, `no`,
 * `number` or `code` after the word; or as the key it sits under
 * (`order_id`, `invoiceNumber`, `tracking_no`, `Order #`).
 *
 * Words that health records use for a person's own number are never such a
 * word: `ID` alone, `case` (case management and workers' compensation case
 * numbers have been SSNs), `claim`, `account`. Nor is a reference word that
 * belongs to a person (`Patient Ref: …`, `member order number …`,
 * `patient_ref`), since health plans have used SSNs as member and patient
 * ids. Pure; each question looks at a bounded stretch of text.
 *
 * @example
 * ```ts
 * commerceReferenceBefore("Order ID 512-34-7788", 9); // 0
 * commerceReferenceBefore("Patient ID 512-34-7788", 11); // undefined
 * commerceReferenceBefore("Patient Ref: 512-34-7788", 13); // undefined
 * isCommerceReferenceKey("order_id"); // true
 * isCommerceReferenceKey("patient_ref"); // false
 * ```
 */
import { keyNamed } from "./key_names.ts";

/** The reference words (`p.o.` as people write it). */
const WORDS = "order|invoice|tracking|confirmation|p\\.?o\\.?|sku|part|ticket|reference|ref";
/** What may follow the word: `ID`, `no`, `number`, `code`. */
const SUFFIXES = "id|no|nbr|num|number|code";
/**
 * The word at a word's start (not `reorder`, `apart`) or starting a camelCase
 * word (`purchaseOrderId`), a suffix, then only `:` `#` `-` `.` or white space
 * up to the number. 40 characters hold the longest such phrase with room
 * before it for the look behind.
 */
const BEFORE = new RegExp(
  `(?:(?<![A-Za-z])|(?-i:(?<=[a-z])(?=[A-Z])))(?:${WORDS})` +
    `(?:[\\s_.-]{0,2}(?:${SUFFIXES}))?[\\s:#.-]{0,6}$`,
  "i",
);
const LOOK_BACK = 40;
/** Words for a person whose own number a reference word may name. */
const PERSON =
  "patient|member|subscriber|insured|beneficiary|enrollee|employee|claimant|applicant|dependent|guarantor|policyholder";
/** A person word (`patient`, `Member's`) right before a reference phrase. */
const PERSON_BEFORE = new RegExp(
  `(?<![A-Za-z])(?:${PERSON})(?:s|['\u2019]s|s['\u2019])?[\\s:#._-]{0,3}$`,
  "i",
);
const PERSON_LOOK_BACK = 24;

/**
 * Where the reference phrase that names the number starting at `at` begins
 * (`Order ID: ` in `Order ID: 512-34-7788`), or undefined when none does or
 * it belongs to a person.
 */
export function commerceReferenceBefore(text: string, at: number): number | undefined {
  const from = Math.max(0, at - LOOK_BACK);
  const found = BEFORE.exec(text.slice(from, at));
  if (found === null) return undefined;
  const start = from + found.index;
  const person = text.slice(Math.max(0, start - PERSON_LOOK_BACK), start);
  return PERSON_BEFORE.test(person) ? undefined : start;
}

/** Keys that end in a reference word: `order_id`, `PO_Number`, `Order` (from `Order #`), `skus`. */
const SNAKE_KEY = new RegExp(
  `^(?:[a-z0-9]{1,30}[_-]){0,3}(?:order|invoice|tracking|confirmation|po|sku|part|ticket|reference|ref)` +
    `(?:[_-]?(?:${SUFFIXES}))?s?$`,
  "i",
);
/** `purchaseOrderId`, `customerOrderNumber`, `shipmentTrackingNo`. */
const CAMEL_KEY =
  /^[a-z][a-z0-9]{0,30}(?:[A-Z][a-z0-9]{0,30}){0,2}(?:Order|Invoice|Tracking|Confirmation|Po|PO|Sku|SKU|Part|Ticket|Reference|Ref)(?:Id|ID|No|NO|Nbr|Num|Number|NUMBER|Code)?s?$/;
/** A key that names a person's or an SSN's number, whatever it ends in. */
const PERSON_KEY = new RegExp(`${PERSON}|ssn|social`, "i");

/** Whether `key` names a commerce reference number (see the module doc). */
export const isCommerceReferenceKey: (key: string) => boolean = keyNamed((key) =>
  (SNAKE_KEY.test(key) || CAMEL_KEY.test(key)) && !PERSON_KEY.test(key)
);
