/**
 * The limits of one scan of a call's arguments (see `scan_arguments.ts`):
 * how many characters it reads, how deep it enters nested values, and how
 * far it follows JSON held in strings and base64 inside base64. A limit a
 * call reaches caps the scan (see `scan_result.ts`). Pure constants.
 *
 * @example
 * ```ts
 * scanArguments(args, { kinds, maxChars: MAX_SCAN_CHARS }); // the default cap, 1 MiB
 * MAX_DEPTH; // 64
 * ```
 */

/** Default cap on characters scanned per call. */
export const MAX_SCAN_CHARS = 1024 * 1024;
/** How deep the scan enters nested objects and arrays. */
export const MAX_DEPTH = 64;
/** Texts shorter than this are not run through the detectors. */
export const MIN_INTERESTING = 3;
/**
 * How many characters of JSON held in strings are read per call, in all (see
 * `heldJson`): as many as the scan's own cap, so reading them at most doubles its work.
 */
export const MAX_HELD_JSON = MAX_SCAN_CHARS;
/** How many levels of JSON held in strings are read (a message body that holds a record as text). */
export const MAX_HELD_LEVELS = 3;
/**
 * How many levels of base64 are read (a base64 config whose values are
 * base64 of text, as a kubeconfig's are, passed as base64 itself).
 */
export const MAX_BASE64_LEVELS = 3;
