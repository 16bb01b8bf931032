/**
 * Payment card numbers: 13 to 19 digits (spaces or dashes allowed between
 * them) with a known issuer prefix (Visa, Mastercard, Amex, Discover, JCB,
 * Diners, UnionPay) and a valid Luhn check digit.
 *
 * @example
 * ```ts
 * detectPaymentCard("card 4111 1111 1111 1111", undefined); // true
 * detectPaymentCard("order 4111 1111 1111 1112", undefined); // false (Luhn)
 * ```
 */
import { luhnValid } from "./luhn_valid.ts";

const CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const ISSUER =
  /^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}|3[47]\d{13}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}|35(?:2[89]|[3-8]\d)\d{12,15}|3(?:0[0-5]|[689]\d)\d{11,16}|62\d{14,17})$/;

/** Whether `text` holds a payment card number. */
export function detectPaymentCard(text: string, _key: string | undefined): boolean {
  for (const m of text.matchAll(CANDIDATE)) {
    const digits = m[0].replace(/[ -]/g, "");
    if (ISSUER.test(digits) && luhnValid(digits)) return true;
  }
  return false;
}
