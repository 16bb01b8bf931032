/**
 * The texts of the calls in code that `command_segments.ts` keeps whole, read
 * as its pass meets each `(` and `)` outside quotes: the text between the
 * parentheses of an outermost call whose caller `runs` says runs what it is
 * given (`subprocess.run(\n  ["thoth", …]\n)`), and, once `runsSpan` says
 * so given where its text starts and ends, that of an outermost call of
 * another name, or of one nested in a call none of whose own calls was taken
 * so (`print(p(\n  ["thoth", …]))`). A call left open runs to the text's end.
 * The texts taken never overlap, so a character is in three of them at most
 * and the reading stays linear. Pure.
 *
 * @example
 * ```ts
 * const text = "subprocess.run(x)";
 * const texts = new CallTexts(text, (caller) => caller === "subprocess.run", () => false);
 * texts.open(14, "subprocess.run");
 * texts.close(16);
 * texts.end();
 * texts.calls; // ["x"]
 * ```
 */

/**
 * Which call `runsSpan` of {@linkcode CallTexts} is asked of: an outermost
 * one, or one nested in another with calls in it or none.
 */
export type SpanKind = "outer" | "nested" | "innermost";

/** The call texts of one text, see the module's documentation. */
export class CallTexts {
  /** The text between the parentheses of each call taken, as written. */
  readonly calls: string[] = [];
  /** For each of {@linkcode CallTexts.calls}, its caller's name (`subprocess.run`). */
  readonly callNames: string[] = [];
  readonly #text: string;
  readonly #runs: (caller: string) => boolean;
  readonly #runsSpan: (caller: string, start: number, end: number, kind: SpanKind) => boolean;
  // Open parentheses outside quotes, and where the outermost runner's call open now started
  // (-1: none) at which depth.
  #depth = 0;
  #callStart = -1;
  #callDepth = 0;
  #callName = "";
  // The outermost call of all, when `runs` did not say it runs: its caller and where its
  // text starts (-1: none open), asked of `runsSpan` once it is closed.
  #outerCaller = "";
  #outerStart = -1;
  // The parentheses open now, nested calls among them: a call's caller ("" for none), where
  // its text starts, whether a call opened in it and whether one in it was taken whole. A nested
  // call is asked of `runsSpan` once it is closed, unless one in it was taken: the texts taken
  // never overlap, so a character is in three calls' texts at most.
  readonly #parens: { caller: string; start: number; parent: boolean; taken: boolean }[] = [];

  constructor(
    text: string,
    runs: (caller: string) => boolean,
    runsSpan: (caller: string, start: number, end: number, kind: SpanKind) => boolean,
  ) {
    this.#text = text;
    this.#runs = runs;
    this.#runsSpan = runsSpan;
  }

  /** The `(` at `at` opens a call of `name` ("" for a subshell's or no caller). */
  open(at: number, name: string): void {
    const parens = this.#parens;
    this.#depth++;
    if (this.#callStart === -1 && name !== "" && this.#runs(name)) {
      this.#callStart = at + 1;
      this.#callDepth = this.#depth;
      this.#callName = name;
    } else if (this.#depth === 1 && name !== "") {
      this.#outerCaller = name;
      this.#outerStart = at + 1;
    }
    if (name !== "" && parens.length > 0) parens[parens.length - 1]!.parent = true;
    parens.push({ caller: name, start: at + 1, parent: false, taken: false });
  }

  /** The `)` at `at` closes the call open now; nothing when none is open. */
  close(at: number): void {
    if (this.#depth === 0) return;
    const parens = this.#parens;
    if (this.#callStart !== -1 && this.#depth === this.#callDepth) {
      this.calls.push(this.#text.slice(this.#callStart, at));
      this.callNames.push(this.#callName);
      this.#callStart = -1;
    }
    if (this.#depth === 1 && this.#outerStart !== -1) {
      if (this.#runsSpan(this.#outerCaller, this.#outerStart, at, "outer")) {
        this.calls.push(this.#text.slice(this.#outerStart, at));
        this.callNames.push(this.#outerCaller);
      }
      this.#outerStart = -1;
    }
    const taken = this.#takeNested(parens.length - 1, at);
    parens.pop();
    if (taken && parens.length > 0) parens[parens.length - 1]!.taken = true;
    this.#depth--;
  }

  /** The text has ended: calls left open run to its end, the innermost first, and none around one taken. */
  end(): void {
    const text = this.#text;
    const n = text.length;
    if (this.#callStart !== -1) {
      this.calls.push(text.slice(this.#callStart));
      this.callNames.push(this.#callName);
    }
    for (let k = this.#parens.length - 1; k >= 0 && !this.#takeNested(k, n); k--);
    if (
      this.#outerStart !== -1 && this.#runsSpan(this.#outerCaller, this.#outerStart, n, "outer")
    ) {
      this.calls.push(text.slice(this.#outerStart));
      this.callNames.push(this.#outerCaller);
    }
  }

  /** Whether the nested call open at `at` in the parentheses, ending at `end`, is taken whole. */
  #takeNested(at: number, end: number): boolean {
    const call = this.#parens[at]!;
    if (call.taken || call.caller === "" || at === 0) return call.taken;
    const kind = call.parent ? "nested" : "innermost";
    if (!this.#runsSpan(call.caller, call.start, end, kind)) return false;
    this.calls.push(this.#text.slice(call.start, end));
    this.callNames.push(call.caller);
    return true;
  }
}
