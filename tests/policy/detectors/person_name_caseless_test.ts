/**
 * What a HIPAA admin needs of the order-id exemption: missing an SSN costs
 * more than a question, and an order id beside a brand is a convenience. So
 * text in a script without case (Chinese, Korean, Japanese, Arabic), where
 * no form tells a name from another word, keeps an SSN-shaped id an SSN;
 * and a brand that starts with a common given name (`John Deere`, `Bob
 * Evans`, `Calvin Klein`) is a name a customer can bear, so it does too. A
 * brand no person is named (`Sherwin Williams`) and `Nº` stay exempt.
 */
import assert from "node:assert/strict";
import {
  holdsPersonName,
  isPersonName,
  leadsWithPersonName,
} from "../../../src/policy/detectors/person_name.ts";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";

/** The paths of the `us_ssn` findings of a PHI scan of `args`. */
function ssnPaths(args: unknown): string[] {
  return scanArguments(args, { kinds: new Set(["phi"]) }).findings
    .filter((f) => f.type === "us_ssn").map((f) => f.path);
}

const CASELESS_NAMES = [
  "Order 512-34-7788 for 李明",
  "주문 512-34-7788 김민준",
  "注文 512-34-7788 山田太郎様",
  "Order 512-34-7788 for ヤマダ タロウ",
  "Order 512-34-7788 for محمد علي",
  "Order 512-34-7788 for דוד כהן",
];

Deno.test("holdsPersonName() reads text in a script without case as a possible name", () => {
  for (const text of CASELESS_NAMES) assert.equal(holdsPersonName(text), true, text);
  // A lone º or ª (Nº, 1ª) is no such text.
  for (const text of ["Pedido Nº 4521", "1ª entrega", "Order ID shipped"]) {
    assert.equal(holdsPersonName(text), false, text);
  }
});

Deno.test("isPersonName() and leadsWithPersonName() read a value in a script without case", () => {
  for (const value of ["李明", "김민준", "山田 太郎", "محمد علي"]) {
    assert.equal(isPersonName(value), true, value);
  }
  assert.equal(leadsWithPersonName(' "김민준", "order_id"'), true);
  assert.equal(isPersonName("李明 Widget"), false);
});

Deno.test("an order id beside a name in a script without case is an SSN", () => {
  for (const note of CASELESS_NAMES) {
    assert.deepEqual(ssnPaths({ note: note.replace(/^\S+/, "Order ID") }), ["note"], note);
  }
  assert.deepEqual(ssnPaths({ name: "李明", order_id: "512-34-7788" }), ["order_id"]);
});

Deno.test("a brand that starts with a common given name is read as a person's name", () => {
  for (
    const text of [
      "Order 512-34-7788 for John Deere",
      "Order 512-34-7788: Jack Daniels",
      "Bob Evans",
      "Jim Beam",
      "Charles Schwab",
      "Ralph Lauren",
      "Calvin Klein",
      "Tommy Hilfiger",
    ]
  ) {
    assert.equal(holdsPersonName(text), true, text);
  }
  assert.deepEqual(ssnPaths({ note: "Order ID 512-34-7788 for Bob Evans" }), ["note"]);
  // A brand no person is named, and a pair with no capitalized second word, stay exempt.
  for (const text of ["Sherwin Williams paint", "Aston Martin keyring", "Ben & Jerry's pint"]) {
    assert.equal(holdsPersonName(text), false, text);
  }
  assert.deepEqual(ssnPaths({ note: "Order ID 512-34-7788: Sherwin Williams paint" }), []);
});
