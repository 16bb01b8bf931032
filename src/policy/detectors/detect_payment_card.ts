/**
 * Payment card numbers: 13 to 19 digits (spaces or dashes allowed between
 * them, or dots between the groups a card prints: `4539.1488.0343.6467`,
 * `3487.192630.54187`) with a known issuer prefix (Visa, Mastercard, Amex,
 * Discover, JCB, Diners, UnionPay) and a valid Luhn check digit. Dots only
 * in those groups, so a decimal number (`45.391488034364674`) is none.
 *
 * The test numbers payment providers publish in their documentation
 * (`4242 4242 4242 4242`, `4111 1111 1111 1111`, `5555 5555 5555 4444`, …)
 * are no one's card: the detector passes over them, so a payment
 * integration's README or sample code is not card data. Any other card
 * number in the same text is still found, in every reading the scan makes
 * (percent-decoded, base64, …), since each reading is checked on its own.
 *
 * @example
 * ```ts
 * detectPaymentCard("card 4539 1488 0343 6467", undefined); // true
 * detectPaymentCard("order 4111 1111 1111 1112", undefined); // false (Luhn)
 * detectPaymentCard("test card 4242 4242 4242 4242", undefined); // false (published)
 * cardNumbersIn("Use the test card 4242 4242 4242 4242"); // "examples"
 * cardNumbersIn("card 4539 1488 0343 6467"); // "other"
 * ```
 */
import { luhnValid } from "./luhn_valid.ts";

const CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
/** Groups of 4 (a last one of 1 to 4 more: 19 digits) or 4-6-4/5 (Amex, Diners) between dots. */
const DOTTED = /(?<![\d.])(?:\d{4}(?:\.\d{4}){3}(?:\.\d{1,4})?|\d{4}\.\d{6}\.\d{4,5})(?!\d|\.\d)/g;
const ISSUER =
  /^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}|3[47]\d{13}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}|35(?:2[89]|[3-8]\d)\d{12,15}|3(?:0[0-5]|[689]\d)\d{11,16}|62\d{14,17})$/;
/**
 * Test card numbers published in payment providers' documentation (Stripe,
 * Adyen, Braintree, PayPal, Visa), each with a valid issuer prefix and
 * Luhn check digit: no bank issues them to a person.
 */
const PUBLISHED_TEST_NUMBERS = new Set([
  // Visa
  "4242424242424242",
  "4111111111111111",
  "4012888888881881",
  "4222222222222",
  "4000056655665556",
  "4000002760003184",
  "4000002500003155",
  "4000000000003220",
  "4000000000000002",
  "4000000000009995",
  // Mastercard
  "5555555555554444",
  "2223003122003222",
  "5200828282828210",
  "5105105105105100",
  // American Express
  "378282246310005",
  "371449635398431",
  "378734493671000",
  // Discover
  "6011111111111117",
  "6011000990139424",
  // Diners Club
  "3056930009020004",
  "36227206271667",
  "30569309025904",
  "38520000023237",
  // JCB
  "3566002020360505",
  "3530111333300000",
  // UnionPay
  "6200000000000005",
]);

/** What card numbers a text holds: `"none"`, only published test numbers, or any other. */
export type CardNumbers = "none" | "examples" | "other";

/** Whether `text` holds a payment card number. */
export function detectPaymentCard(text: string, _key: string | undefined): boolean {
  return cardNumbersIn(text) === "other";
}

/** The card numbers `text` holds, as {@linkcode CardNumbers} says. */
export function cardNumbersIn(text: string): CardNumbers {
  let found: CardNumbers = "none";
  for (const m of text.matchAll(CANDIDATE)) {
    const kind = cardKind(m[0].replace(/[ -]/g, ""));
    if (kind === "other") return kind;
    if (kind === "examples") found = kind;
  }
  // A dot in a text is common, a digit on each side of one less so: most texts skip the
  // expression.
  if (!holdsDigitDotDigit(text)) return found;
  for (const m of text.matchAll(DOTTED)) {
    const kind = cardKind(m[0].replaceAll(".", ""));
    if (kind === "other") return kind;
    if (kind === "examples") found = kind;
  }
  return found;
}

/** Whether `text` holds a `.` between two digits (a search for the dots only). */
function holdsDigitDotDigit(text: string): boolean {
  let at = text.indexOf(".", 1);
  while (at !== -1) {
    const before = text.charCodeAt(at - 1);
    const after = text.charCodeAt(at + 1);
    if (before >= 48 && before <= 57 && after >= 48 && after <= 57) return true;
    at = text.indexOf(".", at + 1);
  }
  return false;
}

/** What the digits of one candidate are: a card, a published test card, or neither. */
function cardKind(digits: string): CardNumbers {
  if (!ISSUER.test(digits) || !luhnValid(digits)) return "none";
  return PUBLISHED_TEST_NUMBERS.has(digits) ? "examples" : "other";
}
