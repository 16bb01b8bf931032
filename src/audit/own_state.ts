/**
 * The state file as this writer last wrote it: its text, and what
 * {@linkcode parseLogState} gives for that text, kept so that a batch that
 * reads the state file back unchanged (no other writer wrote since) does
 * not parse it again. Only the text read is trusted, never a guess: the file
 * is still read under the lock each batch, and the kept state is given only
 * when the bytes read are the very text written; any other text is parsed.
 * The kept state is taken from the state written as `JSON.parse` would give
 * it back (properties whose value is undefined left out, as
 * `JSON.stringify` leaves them out), and checked as a parsed one is; a state
 * holding anything that `JSON.stringify` would not write back as itself (a
 * number that is not finite, a function, a class instance) is not kept, and
 * its text is parsed. Pure.
 *
 * @example
 * ```ts
 * const own = new OwnState();
 * own.remember(text, state); // after writing `text`, the encoding of `state`
 * const cached = own.parse(textReadBack); // a fresh copy when unchanged
 * ```
 */
import { checkLogState, type LogState, parseLogState } from "./log_state.ts";

/** The last state a writer wrote, to read back without parsing. */
export class OwnState {
  #text: string | undefined;
  #state: LogState | undefined;

  /** The text last written, if any. */
  get text(): string | undefined {
    return this.#text;
  }

  /** Keeps `text`, just written, as the encoding of `state`. */
  remember(text: string, state: LogState): void {
    this.#text = text;
    const copy = jsonCopy(state);
    this.#state = copy === undefined ? undefined : checkLogState(copy);
  }

  /** `parseLogState(text)`: a copy of the state kept when `text` is the text written. */
  parse(text: string): LogState | undefined {
    if (this.#state !== undefined && text === this.#text) {
      return jsonCopy(this.#state) as LogState;
    }
    return parseLogState(text);
  }
}

/**
 * `JSON.parse(JSON.stringify(value))` for values made of plain objects,
 * arrays, strings, finite numbers, booleans and null; undefined for
 * anything else (the caller then parses the text).
 */
function jsonCopy(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // -0 is written as 0.
      return Number.isFinite(value) ? value + 0 : undefined;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined;
          const item = jsonCopy(value[i]);
          if (item === undefined) return undefined;
          out.push(item);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return undefined;
      if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        // Set on a plain object, this key would set its prototype instead.
        if (key === "__proto__") return undefined;
        const copy = jsonCopy(item);
        if (copy === undefined) return undefined;
        out[key] = copy;
      }
      return out;
    }
    default:
      return undefined;
  }
}
