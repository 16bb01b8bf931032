/**
 * The secrets of a client config that a printed diff (`wrap-config
 * --dry-run`, pasted into tickets) must show by fingerprint only, as
 * `maskSecrets` masks them:
 * - the secret `"env"` values (see {@linkcode envSecretValues});
 * - the password of a URL anywhere in the config (`scheme://user:PASSWORD@host`,
 *   in an `"env"` value, an arg, a remote server's `"url"`), and the value
 *   of a URL's query parameter whose name says it is a secret (`?access_token=…`);
 * - in `"args"`: a word thoth's key detectors flag (see
 *   {@linkcode flaggedAsKey}: a GitHub, Slack or provider token, an AWS key
 *   id, a JWT…), and the value of a flag named for a secret (`--token V`,
 *   `--password=V`, `--client-secret V`) whatever its shape;
 * - in `"headers"`: the value of a header named for a credential
 *   (`Authorization`, `X-Api-Key`, anything with `token`, `key`, `secret`,
 *   `auth`, `cookie` in its name) or that looks like a key; for
 *   `"Bearer TOKEN"` the token, so the scheme still shows.
 *
 * A part shorter than `maskSecrets` masks inside longer text (8 characters)
 * is returned as the whole string that holds it, which is then masked
 * whole. Pure: the file a command writes is never changed by it.
 *
 * @example
 * ```ts
 * diffSecretValues('{"env": {"DB": "postgres://ana:S3cretPassw0rd!@db/prod"}}');
 * // ["S3cretPassw0rd!"]
 * diffSecretValues('{"args": ["--token", "abc"], "headers": {"Authorization": "Bearer sk-ant-api03-x1y2z3w4"}}');
 * // ["abc", "sk-ant-api03-x1y2z3w4"]
 * ```
 */
import { type Node, parseTree } from "jsonc-parser";
import { envSecretValues } from "./env_secret_values.ts";
import { flaggedAsKey } from "../identity/id_flagged_as_key.ts";
import { looksLikeSecret } from "../identity/shown_env_value.ts";

/** A part this long is masked wherever it stands (as `maskSecrets` does); a shorter one by its string. */
const MASKED_IN_PLACE = 8;

/** A flag whose value is a secret: `--token`, `--auth-token`, `--password`, `--client-secret`. */
const SECRET_FLAG =
  /^--?(?:[A-Za-z0-9]+[-_])*(?:token|secret|passw(?:or)?d|pwd|pass|api[-_]?key|apikey|key|auth|credentials?|authori[sz]ation)$/i;

/** A header named for a credential. */
const SECRET_HEADER = /authori[sz]ation|token|key|secret|passw|cookie|auth|credential|signature/i;

/** A query parameter named for a secret (`access_token`, `api_key`, `sig`, `password`). */
const SECRET_PARAMETER =
  /(?:token|secret|passw(?:or)?d|pwd|pass|key|auth|sig|signature|credentials?)$/i;

/** `scheme://` and the authority after it, up to the path, query, fragment or white space. */
const AUTHORITY = /[A-Za-z][A-Za-z0-9+.-]*:\/\/([^\s/?#"'<>]*)/g;

/** A URL's query parameters: `?` or `&`, a name, `=`, a value up to the next `&`, `#` or space. */
const QUERY_PARAMETER = /[?&]([^\s=&#]+)=([^\s&#]+)/g;

/** An HTTP authorization scheme and its credential: `Bearer TOKEN`, `Basic …`. */
const SCHEME_CREDENTIAL = /^[A-Za-z][\w-]*\s+(\S.*)$/;

/** The secrets of `text` (a JSON or JSONC client config) a printed diff masks, each once. */
export function diffSecretValues(text: string): string[] {
  const found = new Set(envSecretValues(text));
  const add = (part: string, whole: string) => {
    if (part === "") return;
    found.add(part.length >= MASKED_IN_PLACE ? part : whole);
  };
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const visit = (node: Node | undefined): void => {
    if (node === undefined) return;
    if (node.type === "string" && typeof node.value === "string") {
      for (const part of urlSecrets(node.value)) add(part, node.value);
    }
    if (node.type === "property") {
      const [key, value] = node.children ?? [];
      if (key?.value === "args" && value?.type === "array") argSecrets(value, add);
      if (key?.value === "headers" && value?.type === "object") headerSecrets(value, add);
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  return [...found];
}

/** The passwords and secret query parameter values of the URLs in `value`. */
function urlSecrets(value: string): string[] {
  const parts: string[] = [];
  for (const match of value.matchAll(AUTHORITY)) {
    const authority = match[1]!;
    const at = authority.lastIndexOf("@");
    if (at < 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(":");
    if (colon >= 0) parts.push(userinfo.slice(colon + 1));
  }
  if (value.includes("://") || /^[\w.-]+\.[A-Za-z]{2,}\//.test(value)) {
    for (const match of value.matchAll(QUERY_PARAMETER)) {
      if (SECRET_PARAMETER.test(match[1]!)) parts.push(match[2]!);
    }
  }
  return parts;
}

/** Adds the secrets of an `"args"` array (see the module's doc). */
function argSecrets(args: Node, add: (part: string, whole: string) => void): void {
  let afterSecretFlag = false;
  for (const item of args.children ?? []) {
    const value = item.type === "string" && typeof item.value === "string" ? item.value : undefined;
    if (value === undefined) {
      afterSecretFlag = false;
      continue;
    }
    if (afterSecretFlag) add(value, value);
    const equals = value.indexOf("=");
    afterSecretFlag = equals < 0 && SECRET_FLAG.test(value);
    if (equals > 0 && SECRET_FLAG.test(value.slice(0, equals))) add(value.slice(equals + 1), value);
    for (const word of value.split(/[\s=,;]+/)) {
      // A URL's password is masked by itself (see urlSecrets), not with the whole URL.
      if (word !== "" && urlSecrets(word).length === 0 && flaggedAsKey(word)) add(word, value);
    }
  }
}

/** Adds the secrets of a `"headers"` object (see the module's doc). */
function headerSecrets(headers: Node, add: (part: string, whole: string) => void): void {
  for (const property of headers.children ?? []) {
    const [key, value] = property.children ?? [];
    if (typeof key?.value !== "string" || typeof value?.value !== "string") continue;
    const text: string = value.value;
    if (!SECRET_HEADER.test(key.value) && !looksLikeSecret(text) && !flaggedAsKey(text)) continue;
    const credential = SCHEME_CREDENTIAL.exec(text)?.[1];
    add(credential ?? text, text);
  }
}
