import assert from "node:assert/strict";
import { detectPrivateKey } from "../../../src/policy/detectors/detect_private_key.ts";
import { detectJwt } from "../../../src/policy/detectors/detect_jwt.ts";
import { compilePolicy } from "../../../src/policy/compile_policy.ts";
import { parsePolicy } from "../../../src/policy/parse_policy.ts";
import { evaluate } from "../../../src/policy/evaluate.ts";
import { DEFAULT_POLICY_JSONC } from "../../../src/policy/default_policy.ts";
import { toolCall } from "../_call.ts";

const HEADER = "-----BEGIN RSA PRIVATE KEY-----";
const FOOTER = "-----END RSA PRIVATE KEY-----";
const LINE_1 = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8Zk2Lw4pQ7d0x1N5Cq2X";
const LINE_2 = "ZWKlIuR38uiZps+t2DpulHaHF7FWeTSmE/VkRoCZqbPkKNu3TdfjjyN+fc1AUgFV";

/** A key as source code and documents write it, each form a key the detector must see. */
const WRITTEN_KEYS: Record<string, string> = {
  "JavaScript strings joined by +":
    `const signingKey = "${HEADER}\\n" +\n\t"${LINE_1}\\n" +\n\t"${FOOTER}\\n"`,
  "Python strings side by side":
    `KEY = ("${HEADER}\\n"\n       "${LINE_1}\\n"\n       "${FOOTER}")`,
  "an array joined in JavaScript": `const k = ["${HEADER}","${LINE_1}","${FOOTER}"].join("\\n");`,
  "an array with spaces": `const k = ["${HEADER}", "${LINE_1}"].join("\\n");`,
  "a JSON array held in a string": JSON.stringify([HEADER, LINE_1, LINE_2, FOOTER]),
  "Ruby lines continued by a backslash": `key = "${HEADER}\\n" \\\n  "${LINE_1}\\n"`,
  "YAML list items": `- "${HEADER}"\n- "${LINE_1}"`,
  "shell comments": `# ${HEADER}\n# ${LINE_2}\n# ${FOOTER}`,
  "C++ comments": `// ${HEADER}\n// ${LINE_2}\n`,
  "a block comment": `/*\n * ${HEADER}\n * ${LINE_2}\n */`,
  "a Markdown blockquote": `> ${HEADER}\n> ${LINE_2}\n> ${FOOTER}`,
  "HTML breaks": `${HEADER}<br>${LINE_2}<br>${FOOTER}`,
  "HTML breaks in capitals, closed": `<p>${HEADER}<BR />\n${LINE_2}</p>`,
  "character references": `${HEADER}&#10;${LINE_2}&#10;${FOOTER}`,
  "hexadecimal character references": `${HEADER}&#xA;${LINE_2}&#xa;`,
  "a commented PGP block": `# -----BEGIN PGP PRIVATE KEY BLOCK-----\n# Version: GnuPG v2\n`,
  "a PuTTY key file": "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n" +
    "Comment: rsa-key-20240101\nPublic-Lines: 2\nAAAAB3NzaC1yc2EAAAABJQAAAQEAhK9Yp4v\n" +
    "AAAAB3NzaC1yc2EAAAABJQ\nPrivate-Lines: 14\nAAABAQCYzKh5Q2n3X0a+7YbT1Qx\nPrivate-MAC: 5e2c",
  "a PuTTY key file with escaped line breaks": "PuTTY-User-Key-File-3: ssh-ed25519\\n" +
    "Encryption: none\\nPrivate-Lines: 1\\nAAAAIBh9Ykq8n3aPq2Fz+Tx0\\n",
};

/** Text that names a key header, or is code handling keys, and holds no key. */
const NO_KEY: Record<string, string> = {
  "the header alone": HEADER,
  "Python that looks for the header": `if line == "${HEADER}":\n    in_key = True\n    continue`,
  "a list of headers": `HEADERS = ["${HEADER}", "-----BEGIN EC PRIVATE KEY-----"]`,
  "the header joined to a variable": `pem = "${HEADER}" + "\\n" + base64EncodedDer2048 + "\\n"`,
  "the header joined to a variable after a line break": `pem = "${HEADER}\\n" + base64Der2048`,
  "a Python f-string": `f"${HEADER}\\n{body}\\n${FOOTER}"`,
  "a template literal": "`" + HEADER + "\\n${b64}\\n" + FOOTER + "`",
  "grep for the header": `grep -rl "${HEADER}" /etc/ssl/private2048/keys`,
  "constants then a function": `const HEADER = "${HEADER}";\nconst FOOTER = "${FOOTER}";\n` +
    "function parsePkcs1PrivateKey2048(pem) {}",
  "an array of the header and a call":
    `const lines = [\n  "${HEADER}",\n  base64ToUint8Array(body),\n];`,
  "a comment naming the header":
    `# The file must start with ${HEADER}\n# PasteYourKeyBelowThisLine`,
  "a blockquote naming the header":
    `> The key starts with \`${HEADER}\`\n> and ends with the END line`,
  "a public key in strings": `"-----BEGIN PUBLIC KEY-----\\n" +\n "${LINE_1}"`,
  "a certificate in comments": `# -----BEGIN CERTIFICATE-----\n# ${LINE_2}`,
  "a PuTTY file's public half":
    "PuTTY-User-Key-File-2: ssh-rsa\nPublic-Lines: 2\nAAAAB3NzaC1yc2EAAAABJQAAAQEAhK9Yp4v",
  "PuTTY's format described": "A .ppk file has PuTTY-User-Key-File-2: and Private-Lines: N lines.",
};

Deno.test("detectPrivateKey() finds a key written as strings, comments, quotes or HTML", () => {
  const missed = Object.entries(WRITTEN_KEYS).filter(([, text]) =>
    !detectPrivateKey(text, undefined)
  );
  assert.deepEqual(missed.map(([name]) => name), []);
});

Deno.test("detectPrivateKey() passes a header quoted in code or prose with no key after it", () => {
  const flagged = Object.entries(NO_KEY).filter(([, text]) => detectPrivateKey(text, undefined));
  assert.deepEqual(flagged.map(([name]) => name), []);
});

const JWT_IO_EXAMPLE = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." +
  "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ." +
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

function base64url(text: string): string {
  return btoa(text).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function token(header: object, payload: object): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.c2lnbmF0dXJl`;
}

Deno.test("detectJwt() takes the jwt.io example token for an example", () => {
  assert.equal(detectJwt(JWT_IO_EXAMPLE, undefined), false);
  assert.equal(detectJwt(`Authorization: Bearer ${JWT_IO_EXAMPLE}`, undefined), false);
  assert.equal(detectJwt(`${JWT_IO_EXAMPLE}\n${JWT_IO_EXAMPLE}`, undefined), false);
});

/** The example claims, with `admin` before `iat` as jwt.io writes them. */
const EXAMPLE_CLAIMS = { sub: "1234567890", name: "John Doe", iat: 1516239022 };
const ADMIN_CLAIMS = { sub: "1234567890", name: "John Doe", admin: true, iat: 1516239022 };

async function hs256(claims: object, secret: string): Promise<string> {
  const input = `${base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.` +
    base64url(JSON.stringify(claims));
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(input)),
  );
  return `${input}.${base64url(String.fromCharCode(...mac))}`;
}

Deno.test("detectJwt() passes jwt.io's examples signed with the secrets the page shows", async () => {
  // The published token is these claims under jwt.io's `your-256-bit-secret`.
  assert.equal(await hs256(EXAMPLE_CLAIMS, "your-256-bit-secret"), JWT_IO_EXAMPLE);
  for (const secret of ["your-256-bit-secret", "a-string-secret-at-least-256-bits-long"]) {
    const example = await hs256(ADMIN_CLAIMS, secret);
    assert.equal(detectJwt(`Bearer ${example}`, undefined), false, secret);
  }
});

Deno.test("detectJwt() finds the example claims under another signature or header", async () => {
  // The jwt.io debugger signs the example claims with whatever secret is typed into it.
  for (const claims of [EXAMPLE_CLAIMS, ADMIN_CLAIMS]) {
    const signed = await hs256(claims, "prod-signing-secret-4f9a2c71e0b8");
    assert.equal(detectJwt(signed, undefined), true, JSON.stringify(claims));
  }
  const otherSignature = JWT_IO_EXAMPLE.slice(0, JWT_IO_EXAMPLE.lastIndexOf(".") + 1) +
    "c2lnbmVkLWluLXByb2R1Y3Rpb24tYnktYW4tYXR0YWNrZXI";
  assert.equal(detectJwt(otherSignature, undefined), true);
  assert.equal(detectJwt(JWT_IO_EXAMPLE + "x", undefined), true);
  for (
    const [header, claims] of [
      [{ alg: "none", typ: "JWT" }, EXAMPLE_CLAIMS],
      [{ alg: "RS256", typ: "JWT", kid: "prod-2024" }, ADMIN_CLAIMS],
      [{ alg: "RS256", typ: "JWT" }, ADMIN_CLAIMS],
      [{ alg: "HS256", typ: "JWT" }, { ...EXAMPLE_CLAIMS, admin: { role: "root" } }],
    ] as const
  ) {
    assert.equal(detectJwt(token(header, claims), undefined), true, JSON.stringify(header));
  }
  const duplicateSub = `${base64url('{"alg":"HS256","typ":"JWT"}')}.` +
    `${base64url('{"sub":"1234567890","name":"John Doe","iat":1516239022,"sub":"admin"}')}.` +
    "c2lnbmF0dXJl";
  assert.equal(detectJwt(duplicateSub, undefined), true);
});

Deno.test("detectJwt() finds a token beside the example, or the example's claims with more", () => {
  const real = token({ alg: "HS256", typ: "JWT" }, { sub: "u-81723", exp: 1900000000 });
  assert.equal(detectJwt(`${JWT_IO_EXAMPLE} and ${real}`, undefined), true);
  const extended = token({ alg: "HS256" }, {
    sub: "1234567890",
    name: "John Doe",
    iat: 1516239022,
    scope: "admin:write",
  });
  assert.equal(detectJwt(extended, undefined), true);
  const otherName = token({ alg: "HS256" }, {
    sub: "1234567890",
    name: "Jane Roe",
    iat: 1516239022,
  });
  assert.equal(detectJwt(otherName, undefined), true);
  // The `alg` at each of the three positions a 3-byte group gives it.
  for (
    const header of [{ alg: "HS256" }, { typ: "JWT", alg: "HS256" }, { kid: "k1", alg: "ES256" }]
  ) {
    assert.equal(detectJwt(token(header, { sub: "u-1" }), undefined), true, JSON.stringify(header));
  }
  assert.equal(detectJwt(token({ typ: "JWT" }, { sub: "u-1" }), undefined), false);
});

function defaultPolicy() {
  return compilePolicy(parsePolicy(DEFAULT_POLICY_JSONC, "policy.jsonc"), {
    home: "/home/ana",
    os: "linux",
    bases: ["/srv/app"],
    ownFolders: ["/home/ana/.thoth"],
    clientConfigs: [],
  });
}

Deno.test("evaluate() blocks a key in source code and lets the jwt.io example through", () => {
  const policy = defaultPolicy();
  const key = evaluate(
    policy,
    toolCall("everything", "echo", { message: WRITTEN_KEYS["JavaScript strings joined by +"] }),
    { intent: undefined },
  );
  assert.equal(key.decision, "block");
  assert.ok(
    key.findings.some((f) => f.kind === "secret" && f.type === "private_key"),
    JSON.stringify(key.findings),
  );
  const example = evaluate(policy, toolCall("everything", "echo", { message: JWT_IO_EXAMPLE }), {
    intent: undefined,
  });
  assert.equal(example.decision, "allow");
  assert.deepEqual(example.findings, []);
});
