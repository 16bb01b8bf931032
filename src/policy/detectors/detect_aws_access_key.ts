/**
 * AWS access key ids: `AKIA` (long-term), `ASIA` (temporary), `ABIA` and
 * `ACCA` followed by 16 base32 characters.
 *
 * @example
 * ```ts
 * detectAwsAccessKey("AKIAIOSFODNN7EXAMPLE", undefined); // true
 * detectAwsAccessKey("AKIA is the prefix of a key id", undefined); // false
 * ```
 */

const KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/;

/** Whether `text` holds an AWS access key id. */
export function detectAwsAccessKey(text: string, _key: string | undefined): boolean {
  // Each key id starts with one of four prefixes: look for them before the expression runs.
  return (text.includes("AKIA") || text.includes("ASIA") || text.includes("ABIA") ||
    text.includes("ACCA")) && KEY_ID.test(text);
}
