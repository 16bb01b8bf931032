/**
 * What is said when the client goes away while thoth still holds something
 * of its: it closed its input (thoth's stdin ended), or it stopped reading
 * thoth's output (a write to it failed: it closed its end of thoth's
 * stdout). Each text names the way it went. Calls waiting for a person are
 * withdrawn with `whilePerson` (their answer, their audit record, and the
 * approval channels, which tell the person), and thoth's own requests to
 * the client end with `ownRequest`. Once the client no longer reads, a call
 * decided after that is not sent to the server either
 * ({@linkcode UNSENT_CLIENT_NOT_READING}). Pure.
 *
 * @example
 * ```ts
 * clientLeftTexts("output_broken").whilePerson;
 * // "the client stopped reading thoth's output (a write to it failed) while the call waited for a person"
 * ```
 */

/** How the client went away. */
export type ClientLeaving = "input_closed" | "output_broken";

/** The texts for a client that went away as `how` says. */
export interface ClientLeftTexts {
  /** Why a call waiting for a person was withdrawn. */
  whilePerson: string;
  /** Why thoth's own request to the client (an approval form) got no answer. */
  ownRequest: string;
}

const STOPPED_READING = "the client stopped reading thoth's output (a write to it failed)";

/** The texts for a client that went away as `how` says. */
export function clientLeftTexts(how: ClientLeaving): ClientLeftTexts {
  if (how === "input_closed") {
    return {
      whilePerson: "the client closed its input while the call waited for a person",
      ownRequest: "the client closed its input before answering thoth's request",
    };
  }
  return {
    whilePerson: `${STOPPED_READING} while the call waited for a person`,
    ownRequest: "the client stopped reading thoth's output before answering thoth's request",
  };
}

/**
 * Why a call decided after the client stopped reading thoth's output was not
 * sent to the server: it would run with no one to read its result. (A
 * client that only closed its input still reads: its calls go on as decided.)
 */
export const UNSENT_CLIENT_NOT_READING = `${STOPPED_READING} while the call was being ` +
  "decided, so thoth did not send it to the MCP server: no one could read its result";
