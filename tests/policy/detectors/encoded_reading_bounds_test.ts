import assert from "node:assert/strict";
import { base64Texts, MAX_BASE64_RUNS } from "../../../src/policy/detectors/encoded_readings.ts";
import { percentDecoded } from "../../../src/policy/detectors/percent_decoded.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { threadCpu } from "../../_thread_cpu.ts";

// Built from parts, so no whole credential sits in the source.
const GITHUB = "ghp_" + "R8kq2LmN4pX7vB9cT1wZ3yH5jD6fG0aS2eU4";
const ENV = `GITHUB_TOKEN=${GITHUB}\nDB_PASSWORD=Xk9mP2vL7qR4tZw8\n`;
const MiB = 1024 * 1024;

function secretTypes(args: unknown): string[] {
  return scanArguments(args, { kinds: new Set(["secret"]) }).findings.map((f) => f.type);
}

Deno.test("percent escapes nested many levels deep are decoded in bounded work", () => {
  // How fast is `deno task bench:policy`'s to say; this only guards against a hang.
  const kinds = new Set(["secret", "pii", "phi"] as const);
  for (
    const text of ["%2525".repeat(MiB / 5), "%252541 ".repeat(MiB / 8), "a%41 ".repeat(MiB / 5)]
  ) {
    // The CPU this thread spends, not the wall clock (which a busy machine stretches).
    const { value: scan, cpuMs } = threadCpu(() => scanArguments({ content: text }, { kinds }));
    assert.ok(cpuMs < 10_000, `bounded work: ${cpuMs.toFixed(0)} ms of CPU`);
    assert.equal(scan.findings.length, 0, "no finding in escapes of nothing");
  }
  assert.equal(percentDecoded("%252541"), "A", "three levels down to the letter");
});

Deno.test("percentDecoded() reads UTF-8 across escapes and the text around them as before", () => {
  assert.equal(percentDecoded("caf%C3%A9 na%C3%AFve €%E2%82%AC"), "café naïve €€");
  assert.equal(percentDecoded("é%A9"), "é\ufffd", "a lone continuation byte");
  assert.equal(percentDecoded("%E2%82x"), "\ufffdx", "a sequence cut short");
  assert.equal(percentDecoded("😀%20😀"), "😀 😀");
  assert.equal(percentDecoded("100%25 sure %zz %4"), "100% sure %zz %4");
  assert.equal(percentDecoded("%2541"), "A", "decoded again while a level decodes something");
});

Deno.test("secrets in base64 are found glued to a word, spaced in groups, after runs that decode to nothing", () => {
  // Glued after 1 to 3 letters, padded or not.
  for (const glue of ["c", "cf", "cfg"]) {
    assert.equal(secretTypes({ content: glue + btoa(ENV) }).includes("github_token"), true, glue);
    assert.equal(secretTypes({ content: glue + btoa(ENV + "x") }).includes("github_token"), true);
  }
  // Written in groups of 4 between single spaces.
  const spaced = btoa(ENV).match(/.{1,4}/g)!.join(" ");
  assert.equal(secretTypes({ content: spaced }).includes("github_token"), true);
  assert.equal(secretTypes({ content: `key: ${spaced}` }).includes("github_token"), true);
  // After more runs than MAX_BASE64_RUNS that decode to no text (paths, long words).
  const paths = Array.from(
    { length: MAX_BASE64_RUNS + 4 },
    (_, i) => `/srv/app/src/components/module${i}/index.ts`,
  ).join("\n");
  assert.equal(secretTypes({ content: `${paths}\n${btoa(ENV)}` }).includes("github_token"), true);
  // Base64 of percent-encoded text, and a fourth level of percent encoding.
  assert.equal(
    secretTypes({ content: btoa(encodeURIComponent(ENV)) }).includes("github_token"),
    true,
  );
  let four = ENV;
  for (let i = 0; i < 4; i++) four = encodeURIComponent(four);
  assert.equal(secretTypes({ content: four }).includes("github_token"), true);
  // Still bounded: at most MAX_BASE64_RUNS texts, and no text from prose.
  const many = Array.from({ length: MAX_BASE64_RUNS + 8 }, (_, i) => btoa(`note number ${i} here`));
  assert.equal(base64Texts(many.join(" "), MiB).length, MAX_BASE64_RUNS);
  assert.deepEqual(
    base64Texts(
      "this that with from over into when what then " + "abcdefghijklmnop ".repeat(64),
      MiB,
    ),
    [],
  );
});

Deno.test("the new base64 readings leave ordinary text alone", () => {
  const binary = String.fromCharCode(...Array.from({ length: 600 }, (_, i) => (i * 151 + 7) % 256));
  for (
    const text of [
      "This is just text with many four word runs that look like this with some more here",
      "internationalization characterization electroencephalographically abcdefghijklmnopq",
      "x" + btoa(binary),
      btoa(binary).match(/.{1,4}/g)!.join(" "),
      "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC",
      "commit 2b6f6ed99ff6dba5a02347bbf7118fe9ad8acdf4 and e3b0c44298fc1c149afbf4c8996fb92427ae41e4",
    ]
  ) {
    assert.deepEqual(secretTypes({ value: text }), [], text);
  }
});
