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

Deno.test("redactedUri() hides only the piece that carries what a URI flagged whole is flagged for", () => {
  // A Slack webhook is flagged only whole: its token goes, the long pieces after it stay.
  const webhook = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdEFGHijklMNOPqrstUVWX";
  const tail = Array.from({ length: 30 }, (_, i) => String.fromCharCode(97 + i % 26).repeat(26));
  assert.equal(
    redactedUri(`${webhook}/${tail.join("/")}`, digest),
    `https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${hidden("abcdEFGHijklMNOPqrstUVWX")}/${
      tail.join("/")
    }`,
  );
});

Deno.test("redactedUri() hides a record number or birth date whose label is the piece before it", () => {
  assert.equal(
    redactedUri("https://example.com/patients/mrn/00123456/chart", digest),
    `https://example.com/patients/mrn/${hidden("00123456")}/chart`,
  );
  assert.equal(redactedUri("/MRN/00123456/x", digest), `/MRN/${hidden("00123456")}/x`);
  assert.equal(
    redactedUri("file:///srv/patients/dob/1970-01-02/x", digest),
    `file:///srv/patients/dob/${hidden("1970-01-02")}/x`,
  );
  assert.equal(
    redactedUri("file:///srv/patients/MRN:/00123456/labs.pdf", digest),
    `file:///srv/patients/MRN:/${hidden("00123456")}/labs.pdf`,
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

Deno.test("redactedUri() hides a patient's or person's data in a path, as an argument's value is", () => {
  const SSN = "078-05-1121";
  assert.equal(
    redactedUri(`file:///srv/patients/${SSN}/chart.pdf`, digest),
    `file:///srv/patients/${hidden(SSN)}/chart.pdf`,
  );
  assert.equal(
    redactedUri("file:///srv/patients/MRN-00123456/chart.pdf", digest),
    `file:///srv/patients/${hidden("MRN-00123456")}/chart.pdf`,
  );
  const CARD = "4539578763621486";
  assert.equal(
    redactedUri(`https://shop.example.com/cards/${CARD}/receipt.pdf`, digest),
    `https://shop.example.com/cards/${hidden(CARD)}/receipt.pdf`,
  );
  const EMAIL = "ana.smith@example.com";
  assert.equal(
    redactedUri(`s3://reports/2026/12/07/${EMAIL}/q4.pdf`, digest),
    `s3://reports/2026/12/07/${hidden(EMAIL)}/q4.pdf`,
  );
  // The scheme stays before a hidden first piece.
  assert.equal(
    redactedUri("mailto:ana@example.com", digest),
    `mailto:${hidden("ana@example.com")}`,
  );
});

Deno.test("redactedUri() keeps ordinary storage keys, ids, SHAs, dates and versions", () => {
  for (
    const uri of [
      "s3://my-bucket/uploads/7f3c9a2b-4e1d-4f8a-9b6c-2d5e8f1a3c7b/report.pdf",
      "s3://my-bucket/logs/2026/01/02/AWSLogs/123456789012/CloudTrail/us-east-1/x_a1b2c3d4e5f6g7h8.json.gz",
      "https://drive.google.com/file/d/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/view",
      "https://github.com/denoland/deno/blob/4f8c2e1a9b7d3c6e5f0a1b2c3d4e5f6a7b8c9d0e/cli/main.rs",
      "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "file:///home/ana/projects/123e4567-e89b-12d3-a456-426614174000/notes.md",
      "https://example.com/archive/2026/12/07/v1.2.3/notes.md",
      "https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3.tgz",
      "https://example.com/orders/5558675309",
    ]
  ) {
    assert.equal(redactedUri(uri, digest), uri);
  }
});

Deno.test("redactedUri() keeps the authority and the generated pieces away from a secret", () => {
  assert.equal(
    redactedUri(`s3://prod-backups-7f3c9a2b4e1d4f8a/2026/${AWS_ID}/dump.sql`, digest),
    `s3://prod-backups-7f3c9a2b4e1d4f8a/2026/${hidden(AWS_ID)}/dump.sql`,
  );
  const sha = "4f8c2e1a9b7d3c6e5f0a1b2c3d4e5f6a7b8c9d0e";
  assert.equal(
    redactedUri(`https://github.com/o/r/blob/${sha}/keys/${GITHUB}`, digest),
    `https://github.com/o/r/blob/${sha}/keys/${hidden(GITHUB)}`,
  );
  const user = "7f3c9a2b-4e1d-4f8a-9b6c-2d5e8f1a3c7b";
  assert.equal(
    redactedUri(`https://api.example.com/users/${user}/tokens/${STRIPE}`, digest),
    `https://api.example.com/users/${user}/tokens/${hidden(STRIPE)}`,
  );
  // An authority the detectors flag on its own is hidden.
  assert.equal(
    redactedUri(`https://${GITHUB}.example.com/x`, digest),
    `https://${hidden(`${GITHUB}.example.com`)}/x`,
  );
});
