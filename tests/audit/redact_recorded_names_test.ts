import assert from "node:assert/strict";
import {
  hiddenPiece,
  READ_CHARS,
  redactedName,
  redactedUri,
} from "../../src/audit/redact_recorded_names.ts";
import { HmacSha256Key } from "../../src/audit/sha256.ts";
import { canonicalJson } from "../../src/audit/canonical_json.ts";
import { toHex } from "../../src/audit/encoding.ts";
import { redactValueSync } from "../../src/audit/redact.ts";

const KEY = new Uint8Array(32).fill(7);
const hmac = new HmacSha256Key(KEY);
/** The device-key digest a record's piece gets: the HMAC of its canonical JSON. */
const digest = (piece: string) =>
  toHex(hmac.mac(new TextEncoder().encode(canonicalJson(piece)), new Uint8Array(32)));
const hidden = (piece: string) => `#k:${digest(piece).slice(0, 8)}(${piece.length})`;

const GITHUB = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
const AWS_ID = "AKIAQWERTYUIOPASDFGH";
const AWS_SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEYx";
const STRIPE = "sk_live_51Nq8ZbX2vKd7Rw4Tt9Lm3Pq6Ys1Hc0Ga";
const DISCORD_TOKEN = "Xq9Zr7Lm2Vb5Nc8Kd1Fg4Hj6Pt3Ws0YaUe_iOoRlBnMvCxQzSdEfGhJkTyUiOp";

Deno.test("hiddenPiece() shows the piece as an argument shape shows a hidden key, with its length", () => {
  assert.equal(hiddenPiece(GITHUB, digest), `#k:${digest(GITHUB).slice(0, 8)}(40)`);
  // The same 8 hex digits as the key would get in an argument's shape: the two can be matched.
  const shape = redactValueSync(KEY, { [GITHUB]: 1 }).shape;
  assert.equal(shape.t, "object");
  const keys = Object.keys((shape as { keys: Record<string, unknown> }).keys);
  assert.deepEqual(keys, [hiddenPiece(GITHUB, digest).replace(/\(40\)$/, "")]);
  // Without a key, the length alone.
  assert.equal(hiddenPiece(GITHUB, () => ""), "#k:(40)");
});

Deno.test("redactedName() hides a name the secret detectors flag, whole, and keeps any other", () => {
  for (const secret of [GITHUB, STRIPE, AWS_ID, `deploy-${GITHUB}`]) {
    assert.equal(redactedName(secret, digest), hidden(secret));
  }
  for (const name of ["simple-prompt", "args-prompt", "get_weather", "echo", "a".repeat(300)]) {
    assert.equal(redactedName(name, digest), name);
  }
  // Equal names show alike, different ones differ.
  assert.equal(redactedName(GITHUB, digest), redactedName(GITHUB, digest));
  assert.notEqual(redactedName(GITHUB, digest), redactedName(STRIPE, digest));
});

Deno.test("redactedUri() keeps an ordinary URI as it is", () => {
  for (
    const uri of [
      "file:///tmp/notes.txt",
      "https://example.com/docs/page",
      "demo://resource/static/document/architecture.md",
      "https://github.com/denoland/deno/commit/453e46b8a1f2c3d4e5f60718293a4b5c6d7e8f90",
      "file:///home/ana/projects/d41d8cd98f00b204e9800998ecf8427e/x",
      "urn:isbn:0451450523",
      "",
    ]
  ) {
    assert.equal(redactedUri(uri, digest), uri);
  }
});

Deno.test("redactedUri() hides each piece the detectors flag, and a generated piece beside it", () => {
  assert.equal(
    redactedUri(`file:///tmp/keys/${GITHUB}`, digest),
    `file:///tmp/keys/${hidden(GITHUB)}`,
  );
  assert.equal(
    redactedUri(`file:///tmp/${GITHUB}.txt/notes.md`, digest),
    `file:///tmp/${hidden(`${GITHUB}.txt`)}/notes.md`,
  );
  // The AWS secret key is flagged by no detector alone: beside its key id it is hidden too.
  assert.equal(
    redactedUri(`s3://bucket/${AWS_ID}/${AWS_SECRET}`, digest),
    `s3://bucket/${hidden(AWS_ID)}/${hidden(AWS_SECRET)}`,
  );
  // The same generated piece in a URI that carries no secret is kept.
  assert.equal(redactedUri(`s3://bucket/${AWS_SECRET}`, digest), `s3://bucket/${AWS_SECRET}`);
});

Deno.test("redactedUri() hides the longest pieces of a URI flagged only whole until it is not", () => {
  const webhook = `https://discord.com/api/webhooks/1234567890123456789/${DISCORD_TOKEN}`;
  assert.equal(
    redactedUri(webhook, digest),
    `https://discord.com/api/webhooks/1234567890123456789/${hidden(DISCORD_TOKEN)}`,
  );
});

Deno.test("redactedUri() reads only the first characters of a long URI, and marks the rest cut", () => {
  const long = `https://example.com/${AWS_ID}/${"x/".repeat(READ_CHARS)}`;
  const shown = redactedUri(long, digest);
  assert.ok(shown.startsWith(`https://example.com/${hidden(AWS_ID)}/x/x/`), shown);
  assert.ok(shown.endsWith("…"), shown.slice(-8));
  assert.ok(shown.length <= READ_CHARS + 1, String(shown.length));
  // A secret past what is read does not make the URI flagged (the record keeps less anyway).
  const past = `https://example.com/${"y/".repeat(READ_CHARS)}${GITHUB}`;
  assert.equal(redactedUri(past, digest), past);
});
