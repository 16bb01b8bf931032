import assert from "node:assert/strict";
import { DETECTORS } from "../../../src/policy/detectors/detectors.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { SLOW_MS } from "./_slow_ms.ts";
import { threadCpu } from "../../_thread_cpu.ts";

// Inputs shaped to make backtracking regexes quadratic (a label followed by a huge run of
// whitespace, endless capitalized words, …). A governed call must never stall the relay, so
// every detector must get through each 1 MiB input (the scan cap) quickly. What is bounded
// is the CPU this thread spends (a linear pass: milliseconds; a quadratic one: minutes), not the
// wall clock, which a machine busy with other tests stretches.
const N = 1024 * 1024;
/** The CPU the whole sweep may take: about a second or two when every pass is linear. */
const SWEEP_MS = 15_000;
const INPUTS: Record<string, string> = {
  "spaces after labels": "dx SSN NPI MRN DOB date of birth api_key" + " ".repeat(N),
  "capitalized words": "Aa ".repeat(N / 3),
  "patient then names": "Patient: " + "Aa ".repeat(N / 3),
  "digits and spaces": "1 ".repeat(N / 2),
  "digits": "1".repeat(N),
  "snake case": "a_".repeat(N / 2),
  "dotted emails": "a@a.".repeat(N / 4),
  "jwt prefixes": " eyJaaaaa.eyJ".repeat(N / 13),
  // JWT-shaped text that is no token: every match used to be decoded and parsed.
  "jwt shapes with spaces": "eyJaaaaa.eyJaaaaa.x ".repeat(N / 20),
  "jwt shapes glued": "eyJabcde.eyJabcde.".repeat(N / 18),
  "jwt shapes whose header spells alg": "eyJhbGciXX.eyJaaaaa.x ".repeat(N / 22),
  "jwt shapes whose header opens an alg": "eyJhbGciOiJ4Iiw.eyJhbGci.x ".repeat(N / 27),
  "the jwt.io example over and over": (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwi" +
    "aWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c "
  ).repeat(N / 156),
  "plus signs": "+1 ".repeat(N / 3),
  "slack prefix": " xoxb-" + "1111111111-".repeat(N / 11),
  "equals run": "api_key" + "=".repeat(N),
  "one long word": "A" + "a".repeat(N),
  "bearer, then a token that never ends well": "Bearer " + "a1".repeat(N / 2) + "=x",
  "bearer tokens one after another": "bearer aaaaaaaaaaaaaaaa1=x ".repeat(N / 27),
  "escaped line breaks after a key header": "-----BEGIN PRIVATE KEY-----" + "\\n".repeat(N / 2),
  "key headers closing strings": '"-----BEGIN PRIVATE KEY-----\\n" +\n "'.repeat(N / 40),
  "key header then marks": "-----BEGIN PRIVATE KEY-----" + '" + # '.repeat(N / 6),
  "key headers then letters": '-----BEGIN PRIVATE KEY-----\n"'.concat("a".repeat(70)).repeat(
    N / 100,
  ),
  "key header then HTML breaks": "-----BEGIN PRIVATE KEY-----" + "<br>".repeat(N / 4),
  "PuTTY private line counts": "PuTTY-User-Key-File-2: " +
    "Private-Lines: 1\n aaaaaaaaaaaaaaa-".repeat(N / 34),
  "scheme separators": "a://".repeat(N / 4),
  "user and colon runs in a URL": "https://" + "u:".repeat(N / 2) + "@",
  "curl user flags": "curl " + "-u a:b ".repeat(N / 7),
  "base64 key header starts": "LS0tLS1CRUdJTi".repeat(N / 14),
  "provider prefixes": "sk-proj-sk-ant-glpat-npm_hf_SG.".repeat(N / 31),
  "authorization headers": "Authorization: Token ".repeat(N / 21),
  "password assignments": "password=".repeat(N / 9),
  "quoted labels": '"ssn":"'.repeat(N / 7),
  // Order ids in an SSN's shape: each is read for the words before it and a label near it.
  "order ids one after another": "Order ID 512-34-7788 ".repeat(N / 21),
  "order words then an order id": "order ".repeat(N / 6) + "512-34-7788",
  // Each order id is also read for person and health words and names around it.
  "order ids among capitalized shipping words": "Order ID 512-34-7788 Via Ups Ground ".repeat(
    N / 36,
  ),
  "order ids then capitalized pairs": ("Order ID 512-34-7788 " + "Via Ups ".repeat(40)).repeat(
    N / 341,
  ),
  "birth wording": "was born on ".repeat(N / 12),
  "claim qualifiers": "HI*ABK:".repeat(N / 7),
  // Dotted codes with nothing around them: each is read for a clinical word, a key written
  // before it and a list, and none may cost more than a bounded look.
  "dotted codes and spaces": "E11.9 ".repeat(N / 6),
  "dotted codes on lines": "E11.9\n".repeat(N / 6),
  "dotted codes under a place key": '{"location": "E11.9 "'.repeat(N / 21),
  "dotted codes between words": "E11.9 x ".repeat(N / 8),
  "HL7 diagnosis segments of empty fields": "\nDG1|||||^^".repeat(N / 12),
  "key headers then quoted paths": '"-----BEGIN PRIVATE KEY-----" "'.concat("/ab".repeat(30))
    .repeat(
      N / 120,
    ),
};

Deno.test("detectors stay linear on adversarial 1 MiB inputs", () => {
  const slow: string[] = [];
  let total = 0;
  for (const [name, text] of Object.entries(INPUTS)) {
    for (const d of DETECTORS) {
      const { cpuMs } = threadCpu(() => d.detect(text, "api_key"));
      total += cpuMs;
      if (cpuMs > SLOW_MS) slow.push(`${d.type} on ${name}: ${cpuMs.toFixed(0)} ms of CPU`);
    }
  }
  assert.deepEqual(slow, []);
  assert.ok(total < SWEEP_MS, `the whole sweep took ${total.toFixed(0)} ms of CPU`);
});

Deno.test("a scan of order ids under many order keys stays fast", () => {
  // Each value is read beside its object's keys: the keys are read once per object, not per value.
  const orders: Record<string, string> = {};
  for (let i = 0; i < N / 32; i++) orders[`shop${i}_order_id`] = "512-34-7788";
  const { value: found, cpuMs } = threadCpu(() =>
    scanArguments(orders, { kinds: new Set(["phi"]) }).findings
  );
  assert.equal(found.length, 0);
  assert.ok(cpuMs < SLOW_MS, `${cpuMs.toFixed(0)} ms of CPU`);
});

Deno.test("a scan of JWT-shaped text stays fast in every reading of it", () => {
  // The scan reads a string as text, as the JSON it holds, percent-decoded and as base64:
  // each reading runs the JWT detector again.
  const shapes: Record<string, unknown> = {
    "with spaces": "eyJaaaaa.eyJaaaaa.x ".repeat(N / 20),
    "in a JSON array held in a string": JSON.stringify(["eyJabcde.eyJabcde.".repeat(N / 18)]),
    "after a percent escape": "%41" + "eyJabcde.eyJabcde.".repeat(N / 18),
    "whose headers spell alg": "eyJhbGciXX.eyJaaaaa.x ".repeat(N / 22),
  };
  const slow: string[] = [];
  for (const [name, message] of Object.entries(shapes)) {
    const { cpuMs } = threadCpu(() => scanArguments({ message }, { kinds: new Set(["secret"]) }));
    if (cpuMs > SLOW_MS) slow.push(`${name}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
  assert.deepEqual(slow, []);
});

Deno.test("a scan of table-shaped and key-line-shaped arguments stays fast", () => {
  // Tables are read cell by cell under their header, and a key header in an array with the
  // lines after it: each reading must stay linear and within its own budget.
  const columns = Array.from({ length: N / 8 }, (_, i) => `c${i}`).join(",");
  const shapes: Record<string, unknown> = {
    "a CSV with 100k columns": { content: `${columns}\n${columns}\n` },
    "a CSV header then 1M short rows": { content: "name,ssn\n" + "1\n".repeat(N / 2) },
    "a CSV header then 1M rows of two cells": { content: "name,ssn\n" + "1,2\n".repeat(N / 4) },
    "a CSV of 200 columns and many rows": {
      content: Array.from({ length: 200 }, (_, i) => `ssn${i}`).join(",") + "\n" +
        `${"078051120,".repeat(199)}078051120\n`.repeat(N / 2000),
    },
    "a CSV whose quote never closes": { content: 'name,ssn\n"' + "a,".repeat(N / 2) },
    "a CSV of doubled quotes": { content: 'name,ssn\n"' + '""'.repeat(N / 2) },
    "a markdown table of pipes": { content: "|".repeat(N) },
    "a markdown header of 100k pipes": {
      content: `${"|a".repeat(N / 4)}|\n${"|-".repeat(N / 4)}|\n`,
    },
    "a markdown table of many rows": {
      content: "| Name | SSN |\n|---|---|\n" + "| a | 078051120 |\n".repeat(N / 18),
    },
    "markdown delimiter rows only": { content: "| a | b |\n" + "|---|---|\n".repeat(N / 10) },
    "lines of pipes and dashes": { content: "-|\n".repeat(N / 3) },
    "an SQL insert of many tuples": {
      sql: "INSERT INTO t (name, ssn) VALUES " + "('a','078051120'),".repeat(N / 18),
    },
    "SQL inserts one after another": { sql: "insert into t (a, b) values (1".repeat(N / 32) },
    "an SQL tuple that never closes": { sql: "INSERT INTO t (a, b) VALUES ('" + "x".repeat(N) },
    "an SQL column list without parentheses closing": {
      sql: "insert into t (" + "a, ".repeat(N / 3),
    },
    "a sheet of many rows": {
      values: [["Name", "SSN"], ...Array.from({ length: N / 32 }, () => ["a", "078051120"])],
    },
    "key headers one after another": {
      lines: Array.from({ length: N / 32 }, () => "-----BEGIN RSA PRIVATE KEY-----"),
    },
  };
  const slow: string[] = [];
  for (const [name, args] of Object.entries(shapes)) {
    const { cpuMs } = threadCpu(() =>
      scanArguments(args, { kinds: new Set(["phi", "pii", "secret"]) })
    );
    if (cpuMs > SLOW_MS) slow.push(`${name}: ${cpuMs.toFixed(0)} ms of CPU`);
  }
  assert.deepEqual(slow, []);
});
