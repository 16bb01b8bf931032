/**
 * thoth from source runs with `--cached-only`: Deno loads npm packages only
 * from its cache and fetches none. When the cache lacks them (a client
 * started with another `DENO_DIR`, a checkout never installed), the first
 * command that needs one fails with Deno's own words deep in a module load.
 * This turns that failure into an error that says what to run. Pure: it
 * reads the thrown value only.
 *
 * @example
 * ```ts
 * const error = new TypeError(
 *   'npm package not found in cache: "zod", --cached-only is specified.',
 * );
 * packagesNotCached(error)?.code; // "io.packages_not_cached"
 * packagesNotCached(new Error("boom")); // undefined
 * ```
 */
import { AppError } from "../errors.ts";

/** Deno's words (2.9) when `--cached-only` meets a package its cache lacks. */
const NOT_CACHED = /npm package not found in cache\b|--cached-only is specified/;

/**
 * The error to report when `error` is Deno refusing to load an npm package
 * missing from its cache under `--cached-only`; otherwise `undefined`.
 */
export function packagesNotCached(error: unknown): AppError | undefined {
  const text = describe(error);
  if (!NOT_CACHED.test(text)) return undefined;
  return new AppError(
    "io.packages_not_cached",
    "thoth runs from source and the npm packages its deno.lock lists are not all in Deno's " +
      "cache; run from source, thoth fetches none (--cached-only)",
    {
      cause: error,
      hints: [
        'run "deno install --frozen" in thoth\'s source folder, with the DENO_DIR the MCP ' +
        "client gives thoth (unset means Deno's default cache), then restart the client",
        "or install a thoth release binary, which needs no cache",
      ],
    },
  );
}

/** The message and the causes below it, as one text (Deno nests the cache error). */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}
