import assert from "node:assert/strict";
import { base64Texts, MAX_BASE64_RUNS } from "../../../src/policy/detectors/encoded_readings.ts";
import {
  MAX_PERCENT_LEVELS,
  percentDecoded,
} from "../../../src/policy/detectors/percent_decoded.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { threadCpu } from "../../_thread_cpu.ts";

Deno.test("percentDecoded() decodes escapes as UTF-8, level after level while one decodes something, and nothing else", () => {
  assert.equal(percentDecoded("a%3Db%0Ac"), "a=b\nc");
  assert.equal(percentDecoded("caf%C3%A9"), "café");
  assert.equal(percentDecoded("x%25253Dy"), "x=y");
  assert.equal(percentDecoded("x%2525253Dy"), "x=y", "a fourth level");
  assert.equal(
    percentDecoded(`x%${"25".repeat(MAX_PERCENT_LEVELS)}3Dy`),
    "x%3Dy",
    "MAX_PERCENT_LEVELS levels at most",
  );
  assert.equal(percentDecoded("%FF%FE"), "\ufffd\ufffd");
  assert.equal(percentDecoded("12% growth"), undefined);
  assert.equal(percentDecoded("plain"), undefined);
});

Deno.test("base64Texts() decodes runs of text only, and is bounded", () => {
  const line = "OPENAI_KEY=sk-abc123def456";
  assert.deepEqual(base64Texts(btoa(line), 1024), [line]);
  assert.deepEqual(base64Texts(`x ${btoa(line)}= y`, 1024), [line]);
  // Bytes that are not all text: the text in them, 16 bytes or more of it.
  assert.deepEqual(base64Texts(btoa("\x00\x01\x02binary header bytes"), 1024), [
    "binary header bytes",
  ]);
  assert.deepEqual(base64Texts(btoa("\x00\x01\x02binary header"), 1024), []);
  assert.deepEqual(base64Texts(btoa("short"), 1024), [], "under 16 characters");
  assert.deepEqual(base64Texts("/usr/local/share/applications", 1024), []);
  assert.deepEqual(base64Texts(btoa(line), 8), [], "over the limit");
  const many = Array.from({ length: MAX_BASE64_RUNS + 8 }, (_, i) => btoa(`${line} ${i}`)).join(
    " ",
  );
  assert.equal(base64Texts(many, 1 << 20).length, MAX_BASE64_RUNS);
  // A non-UTF-8 byte sequence is no text: only the text after it, 16 bytes or more, is read.
  assert.deepEqual(base64Texts(btoa("abc\xc3\x28 more text here and here"), 1024), [
    "( more text here and here",
  ]);
  assert.deepEqual(base64Texts(btoa("naïve café text, UTF-8 encoded"), 1024), [
    " text, UTF-8 encoded",
  ]);
  assert.deepEqual(base64Texts(btoa("naïve café text"), 1024), []);
  const utf8 = String.fromCharCode(...new TextEncoder().encode("naïve café text, UTF-8 encoded"));
  assert.deepEqual(base64Texts(btoa(utf8), 1024), ["naïve café text, UTF-8 encoded"]);
});

Deno.test("scanArguments() stays fast on a megabyte of base64 and percent escapes", () => {
  const big = btoa("A".repeat(786_000));
  const escapes = "%41".repeat(300_000);
  const { value: scan, cpuMs } = threadCpu(() =>
    scanArguments({ a: big, b: escapes }, { kinds: new Set(["secret", "phi", "pii"]) })
  );
  // The CPU this thread spends, not the wall clock (which a busy machine stretches).
  assert.ok(cpuMs < 5_000, `bounded work: ${cpuMs.toFixed(0)} ms of CPU`);
  assert.equal(scan.capped, true);
});
