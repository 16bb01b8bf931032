/**
 * AWS access key ids: `AKIA` (long-term), `ASIA` (temporary), `ABIA` and
 * `ACCA` followed by 16 base32 characters.
 *
 * The ids AWS's documentation uses (`AKIAIOSFODNN7EXAMPLE`,
 * `AKIAI44QH8DHBEXAMPLE`, `ASIAIOSFODNN7EXAMPLE`) do not count: an id whose
 * 16 characters end in `EXAMPLE`, the marker AWS puts at the end of each of
 * its examples. Only there: an id with `EXAMPLE` elsewhere counts, and an id
 * of 16 characters that end in `EXAMPLE` has 9 left to vary, which AWS never
 * issues. Nor does filler (`AKIAXXXXXXXXXXXXXXXX`, see `filler_token.ts`, or a
 * short unit repeated, `AKIAAKIAAKIAAKIAAKIA`).
 *
 * An id stands apart from letters and digits (`key1AKIA…` and
 * `ASIAPACIFICNORTHEASTERN` hold none), unless what is glued to it is filler
 * to its end (`AKIA…7TNU` + `aaaaaaaa`, see `glued_filler.ts`).
 *
 * @example
 * ```ts
 * detectAwsAccessKey("AKIAQ3EGRBPSXLYH7TNU", undefined); // true
 * detectAwsAccessKey("AKIAQ3EGRBPSXLYH7TNU" + "a".repeat(40), undefined); // true
 * detectAwsAccessKey("AKIAIOSFODNN7EXAMPLE", undefined); // false (AWS's example)
 * detectAwsAccessKey("AKIA is the prefix of a key id", undefined); // false
 * ```
 */
import { fillerToken } from "./filler_token.ts";
import { repeatedUnit, tokensApart, tokenShape } from "./glued_filler.ts";

/** The four prefixes a key id starts with. */
export const AWS_KEY_ID_STARTS = ["AKIA", "ASIA", "ABIA", "ACCA"] as const;

/** A key id, standing apart from letters and digits or glued to filler. */
const KEY_ID = tokenShape(
  AWS_KEY_ID_STARTS,
  "(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})",
  "A-Za-z0-9",
  "A-Za-z0-9",
  null,
);

/**
 * Whether the 16 characters after an id's prefix are AWS's example marker or
 * filler: one character or a short unit repeated (`AKIA` glued to itself).
 */
function exampleId(tail: string): boolean {
  return tail.endsWith("EXAMPLE") || fillerToken(tail) || repeatedUnit(tail);
}

/** Whether `text` holds an AWS access key id other than a documentation example. */
export function detectAwsAccessKey(text: string, _key: string | undefined): boolean {
  // Each key id starts with one of four prefixes: look for them before the expression runs.
  if (!AWS_KEY_ID_STARTS.some((start) => text.includes(start))) return false;
  for (const m of tokensApart(text, KEY_ID)) if (!exampleId(m[1] as string)) return true;
  return false;
}
