/**
 * Reads an API key file (`proxy_api_key.json` or `THOTH_API_KEY_FILE`): a
 * JSON object whose `api_key` is the key (the format `encodeApiKeyFile`
 * documents; other members are ignored, and `version`, when present, must be
 * 1). A key in quotes, after `Bearer `, or that is `null` is refused (see
 * `tokenProblem`), and an empty file is said to be empty. A member given
 * twice makes the file not valid (`JSON.parse` would keep
 * the last, another reader the first). Errors name the file, never its
 * contents. Pure.
 *
 * @example
 * ```ts
 * parseApiKeyFile('{"api_key":"k-123"}', "/home/ana/.thoth/proxy_api_key.json").fingerprint;
 * ```
 */
import { AppError } from "../errors.ts";
import { duplicateKey } from "../protocol/duplicate_key.ts";
import { Secret } from "./secret.ts";
import { tokenProblem } from "./token_problem.ts";

/** Parses the file text; throws `credentials.malformed` naming `path`. */
export function parseApiKeyFile(text: string, path: string): Secret {
  const fail = (why: string) =>
    new AppError("credentials.malformed", `API key file "${path}" is not valid: ${why}`, {
      hints: ['save the key again with "thoth set-api-key --api-key -"'],
    });
  if (text.trim() === "") throw fail('it is empty; expected an object like {"api_key": "…"}');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail('it is not JSON; expected an object like {"api_key": "…"}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail('expected a JSON object like {"api_key": "…"}');
  }
  const twice = duplicateKey(text);
  if (twice !== undefined) {
    throw fail(`it gives the member ${JSON.stringify(twice.slice(0, 40))} twice`);
  }
  const record = value as Record<string, unknown>;
  if (record["version"] !== undefined && record["version"] !== 1) {
    throw fail(`unsupported version ${JSON.stringify(record["version"])}; this thoth reads 1`);
  }
  const key = record["api_key"];
  if (typeof key !== "string") throw fail('"api_key" is missing or not a string');
  const problem = tokenProblem(key);
  if (problem !== null) throw fail(`"api_key" must be ${problem}`);
  return new Secret(key);
}
