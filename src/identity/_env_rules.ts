/**
 * The value rules for thoth's environment variables, shared by the
 * environment schema and the URL derivation. Private to `src/identity/`.
 */

/** One DNS label: what a tenant id must be, so it can be a host name part. */
export const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DNS_LABEL_RULE =
  "a DNS label: 1 to 63 lowercase letters, digits or hyphens, not starting or ending with a hyphen";

/**
 * A domain name of at least two labels, at most 253 characters, in lowercase:
 * `THOTH_APEX_DOMAIN` is lowercased before it is checked (see
 * `quick_thoth_env.ts`), as DNS names are case-insensitive.
 */
export function isDnsName(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split(".");
  return labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label));
}
export const DNS_NAME_RULE =
  "a lowercase domain name of two or more DNS labels separated by dots, such as example.com " +
  "(capitals are taken in lowercase)";

/**
 * A practical email address: one "@", a non-empty local part without spaces,
 * quotes or angle brackets, and a domain of two or more labels.
 */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value) && !value.startsWith(".") &&
    !value.includes("..");
}
export const EMAIL_RULE = "a valid email address such as you@company.com";

/** An opaque identifier: fleet ids and managed device ids. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const IDENTIFIER_RULE =
  "1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit";

/** A bearer token or API key: visible ASCII, no spaces, bounded. */
export const TOKEN = /^[\x21-\x7e]{1,16384}$/;
export const TOKEN_RULE = "1 to 16384 visible ASCII characters with no spaces or line breaks";

/**
 * An absolute path for `os` (`Deno.build.os`): `/…` on POSIX; on Windows a
 * drive path (`C:\…`, `C:/…`) or a UNC path (`\\server\…`). A path of the
 * other OS is not absolute here: on Linux `C:\Users\ana` is a relative name,
 * and thoth would write under the current folder.
 */
export function isAbsolutePath(value: string, os: string): boolean {
  if (value.includes("\0")) return false;
  if (os === "windows") return /^[A-Za-z]:[\\/]/.test(value) || value.startsWith("\\\\");
  return value.startsWith("/");
}
/** The rule {@linkcode isAbsolutePath} enforces, worded for `os`. */
export function absolutePathRule(os: string): string {
  return os === "windows"
    ? "an absolute Windows path such as C:\\Users\\you\\.thoth (no ~ or %VARIABLE%, which are not expanded here)"
    : "an absolute path starting with / (no ~ or $VARIABLE, which the shell does not expand here)";
}

/** An environment name such as `prod` or `staging`, in lowercase (`THOTH_ENV` is lowercased first). */
export const ENV_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const ENV_NAME_RULE =
  "a name of up to 32 letters, digits or hyphens starting with a letter, such as prod";

/** The check-in interval bounds, in seconds. */
export const CHECKIN_MAX_SEC = 86_400;
export const CHECKIN_RULE = `a positive whole number of seconds, at most ${CHECKIN_MAX_SEC}`;
