/**
 * The decoded readings of the texts one scan of a call's arguments reads:
 * text with `\uXXXX` or percent escapes read decoded too (by every detector;
 * {@linkcode unicodeEscapesDecoded}, then its percent escapes), and runs of
 * base64, base64url or hex that decode to text read decoded by the secret
 * detectors ({@linkcode percentDecoded}, {@linkcode base64Reading}; base64 of
 * percent-encoded text is read decoded twice, and base64 in base64 up to
 * {@linkcode MAX_BASE64_LEVELS} levels, {@linkcode MAX_BASE64_RUNS} runs per
 * string in all, and runs whose bytes are not all text read for the text
 * inside them, {@linkcode MAX_STRETCH_RUNS} as texts of their own and the
 * rest as one). These readings have a budget of the scan's `maxChars`
 * characters of their own. A limit that leaves encoded text unread (more
 * escape levels, runs or base64 levels, or the budget spent while a text
 * still holds an escape, a run that decodes, or binary with text inside)
 * caps the scan (`encoding`): what it hides was not read. Binary data with
 * no text inside left unread does not. Each distinct text is percent-decoded
 * once per scan. Pure.
 *
 * @example
 * ```ts
 * const decoded = new DecodedReadings(state, MAX_SCAN_CHARS, runDetectors);
 * // Runs `detectors` on "SSN 123-45-6789", and the secret detectors on what base64 runs decode to:
 * decoded.read("SSN%20123-45-6789", detectors, secretDetectors, "note", false);
 * ```
 */
import type { DetectorSpec } from "./detector_spec.ts";
import { detectionText } from "./detection_text.ts";
import { holdsPercentEscape } from "../percent_escape.ts";
import { base64Reading, MAX_BASE64_RUNS, MAX_STRETCH_RUNS } from "./encoded_readings.ts";
import { leftEscaped, percentDecoded } from "./percent_decoded.ts";
import { holdsUnicodeMark, leftUnicodeEscaped, unicodeEscapesDecoded } from "./unicode_escapes.ts";
import { capBy, cappedBy, type ScanResult } from "./scan_result.ts";
import { MAX_BASE64_LEVELS } from "./scan_limits.ts";

/** Distinct texts whose percent-decoded reading a scan keeps. */
const MAX_DECODINGS_KEPT = 256;

/** Runs `specs` on `text`, read under `label` (as a key with `isKey`), recording what they find. */
export type RunDetectors = (
  text: string,
  specs: readonly DetectorSpec[],
  label: string | undefined,
  isKey: boolean,
) => void;

/**
 * The decoded readings of one scan: the characters they read so far against
 * their budget, the base64 runs left in the string being read, and each
 * distinct text's percent-decoded reading.
 */
export class DecodedReadings {
  /** The scan's result: `capped` when a limit leaves encoded text unread. */
  readonly #state: ScanResult;
  /** The scan's `maxChars`: the budget of these readings too. */
  readonly #budget: number;
  /** Runs detectors on a reading and records their findings at the scan's path. */
  readonly #run: RunDetectors;
  // Characters of decoded readings (percent escapes, base64) scanned, in all.
  #decodedChars = 0;
  // Runs that decode to text still to read in the string being scanned, across its levels,
  // and runs of bytes that are not all text to read the text inside.
  #runsLeft = 0;
  #stretchesLeft = 0;
  // Each distinct text is percent-decoded once per call: a value repeated across
  // keys, or met again in JSON a string holds, costs one decoding.
  readonly #decodings = new Map<string, string | undefined>();

  constructor(state: ScanResult, budget: number, run: RunDetectors) {
    this.#state = state;
    this.#budget = budget;
    this.#run = run;
  }

  /**
   * Reads what a server or a reader decodes of `text` (already read as it
   * is): `\uXXXX` and percent escapes (`detectors`), and base64 or hex runs
   * that decode to text (`secretDetectors`), within their own budget.
   */
  read(
    text: string,
    detectors: readonly DetectorSpec[],
    secretDetectors: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ) {
    const unicode = this.#readUnicode(text, detectors, label, isKey);
    const unescaped = this.#readEscaped(unicode ?? text, detectors, label, isKey);
    if (secretDetectors.length === 0) return;
    // One count of runs for every level of the string's base64.
    this.#runsLeft = MAX_BASE64_RUNS;
    this.#stretchesLeft = MAX_STRETCH_RUNS;
    this.#readBase64(unescaped ?? unicode ?? text, label, isKey, 1, secretDetectors);
  }

  #decode(text: string): string | undefined {
    if (text.indexOf("%") === -1) return undefined;
    if (this.#decodings.has(text)) return this.#decodings.get(text);
    const decoded = percentDecoded(text);
    if (this.#decodings.size < MAX_DECODINGS_KEPT) this.#decodings.set(text, decoded);
    return decoded;
  }

  /**
   * Runs `specs` on `text`'s reading with its `\uXXXX` escapes decoded, if
   * it has one, and returns that reading; marks the scan capped when a limit
   * leaves some of it unread (escape levels, or the decoded readings' budget).
   * A reading that holds percent escapes is returned unread, for
   * `readEscaped` to read with them decoded.
   */
  #readUnicode(
    text: string,
    specs: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ): string | undefined {
    if (!holdsUnicodeMark(text)) return undefined;
    const state = this.#state;
    if (this.#budget - this.#decodedChars <= 0) {
      if (!cappedBy(state, "encoding") && leftUnicodeEscaped(text)) capBy(state, "encoding");
      return undefined;
    }
    const decoded = unicodeEscapesDecoded(text);
    if (decoded === undefined) return undefined;
    // Text with percent escapes too is read once, with both decoded (`readEscaped`): its
    // percent escapes are all the two readings differ in.
    if (holdsPercentEscape(decoded)) {
      if (leftUnicodeEscaped(decoded)) capBy(state, "encoding");
      return decoded;
    }
    this.#readDecoded(decoded, leftUnicodeEscaped, specs, label, isKey);
    return decoded;
  }

  /**
   * Runs `specs` on `text`'s percent-decoded reading, if it has one, and
   * returns that reading; marks the scan capped when a limit leaves some of
   * it unread (escape levels, or the decoded readings' budget).
   */
  #readEscaped(
    text: string,
    specs: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ): string | undefined {
    const state = this.#state;
    const room = this.#budget - this.#decodedChars;
    if (room <= 0) {
      // The budget is spent: a text that still holds an escape goes unread (once encoded
      // text was left unread, there is no need to look).
      if (!cappedBy(state, "encoding") && holdsPercentEscape(text)) capBy(state, "encoding");
      return undefined;
    }
    const unescaped = this.#decode(text);
    if (unescaped === undefined) return undefined;
    this.#readDecoded(unescaped, leftEscaped, specs, label, isKey);
    return unescaped;
  }

  /**
   * Runs `specs` on as much of the decoded reading `decoded` as the decoded
   * readings' budget leaves room for, and marks the scan capped when some of
   * it goes unread: past the room, or escapes `stillEncoded` finds in it.
   */
  #readDecoded(
    decoded: string,
    stillEncoded: (text: string) => boolean,
    specs: readonly DetectorSpec[],
    label: string | undefined,
    isKey: boolean,
  ): void {
    const room = this.#budget - this.#decodedChars;
    if (decoded.length > room || stillEncoded(decoded)) capBy(this.#state, "encoding");
    const reading = detectionText(decoded.slice(0, room), room);
    this.#decodedChars += reading.length;
    this.#run(reading, specs, label, isKey);
  }

  /**
   * Runs the secret detectors on the texts base64 runs in `source` decode to,
   * then on each one's percent-decoded reading and on its own base64 runs,
   * `level` counting the base64 levels; marks the scan capped when a limit
   * leaves a run that decodes to text unread.
   */
  #readBase64(
    source: string,
    label: string | undefined,
    isKey: boolean,
    level: number,
    specs: readonly DetectorSpec[],
  ) {
    const state = this.#state;
    const read = base64Reading(
      source,
      this.#budget - this.#decodedChars,
      this.#runsLeft,
      undefined,
      this.#stretchesLeft,
    );
    if (read.capped) capBy(state, "encoding");
    this.#runsLeft -= read.texts.length - read.stretched;
    this.#stretchesLeft -= read.stretched;
    for (const inner of read.texts) {
      const reading = detectionText(inner, this.#budget);
      this.#decodedChars += reading.length;
      this.#run(reading, specs, label, isKey);
      // Base64 of percent-encoded text (`btoa(encodeURIComponent(env))`).
      const innerUnescaped = this.#readEscaped(reading, specs, label, isKey);
      const next = innerUnescaped ?? reading;
      if (level < MAX_BASE64_LEVELS) {
        this.#readBase64(next, label, isKey, level + 1, specs);
      } else if (!cappedBy(state, "encoding") && base64Reading(next, 0, 0).capped) {
        // Base64 deeper than thoth reads.
        capBy(state, "encoding");
      }
    }
  }
}
