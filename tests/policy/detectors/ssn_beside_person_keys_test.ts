/**
 * An order or ticket id in an SSN's shape is no SSN on its own, but it is
 * one beside a key that names a person (`employee`, `full_name`, `dob`) in
 * the same object: the scan tells the SSN detector the keys of the object a
 * value sits in. The keys of a name/value pair, and of other objects, are no
 * such neighbours. A bare `name` is one only when it holds a person's name
 * (`Jane Doe`, not `Blue Widget`).
 */
import assert from "node:assert/strict";
import { scanArguments } from "../../../src/policy/detectors/scan_arguments.ts";
import { holdsPersonKey, isPersonKey } from "../../../src/policy/detectors/person_context.ts";

/** The paths of the `us_ssn` findings of a PHI scan of `args`. */
function ssnPaths(args: unknown): string[] {
  return scanArguments(args, { kinds: new Set(["phi"]) }).findings
    .filter((f) => f.type === "us_ssn").map((f) => f.path);
}

const PERSONS: readonly [unknown, string][] = [
  [{ ticket: "512-34-7788", employee: "John Smith" }, "ticket"],
  [{ ref: "512-34-7788", full_name: "John Smith" }, "ref"],
  [{ order_id: "512-34-7788", full_name: "John Smith" }, "order_id"],
  [{ order_id: "512-34-7788", name: "jane doe" }, "order_id"],
  [{ invoiceNumber: "512-34-7788", firstName: "jane" }, "invoiceNumber"],
  [{ tracking_no: "512-34-7788", patient: "x" }, "tracking_no"],
  [{ note: "Order ID 512-34-7788", member_id: "x" }, "note"],
  [{ ids: ["Order ID 512-34-7788"], "Date of Birth": "x" }, "ids[0]"],
  [{ orders: [{ order_id: "512-34-7788", customer_name: "x" }] }, "orders[0].order_id"],
  // A bare `name` names a person when it holds a person's name.
  [{ name: "Jane Doe", order: "512-34-7788" }, "order"],
  [{ Name: "Doe, Jane", order_id: "512-34-7788" }, "order_id"],
  [{ name: "Mrs. Alvarez", order_id: "512-34-7788" }, "order_id"],
  [{ patient_name: "x", order_id: "512-34-7788" }, "order_id"],
  [{ note: '{"name":"Jane Doe","order":"512-34-7788"}' }, "note"],
  // A bare `name` that reads as a name, whether or not a list knows it.
  [{ name: "Jose Garcia", order_id: "512-34-7788" }, "order_id"],
  [{ name: "Jamal Washington", order_id: "512-34-7788" }, "order_id"],
  [{ name: "Oluwaseun Adeyemi", order_id: "512-34-7788" }, "order_id"],
  [{ body: '{"name":"Jamal Washington","order_id":"512-34-7788"}' }, "body"],
  // `person` and `individual` name a person.
  [{ person: "Jamal Washington", ticket: "512-34-7788" }, "ticket"],
  [{ individual: "x", order_id: "512-34-7788" }, "order_id"],
];

const ORDERS: readonly unknown[] = [
  { order_id: "512-34-7788", total: "$40" },
  { order_id: "512-34-7788", product_name: "Widget", quantity: 2, hostname: "shop1" },
  { order_ref: "512-34-7788", status: "shipped" },
  // A pair's `name` names its value, not a person beside it.
  { fields: [{ name: "order_id", value: "512-34-7788" }] },
  // A person's name in another object is not beside the order id.
  { order: { order_id: "512-34-7788" }, shipping: { method: "ground" } },
  // A bare `name` alone names no person: a product's, a file's, a tool's.
  { name: "Blue Widget", order: "123-45-6789" },
  { NAME: "Acme Rocket", order_id: "512-34-7788" },
  { name: "x", order_id: "512-34-7788" },
  { order_id: "123-45-6789", item: "Blue Widget" },
  { campaign_name: "Spring Sale", order_id: "512-34-7788" },
  // A product's, a color's or a brand's name in a bare `name` is none.
  { name: "Navy Blue", order_id: "512-34-7788" },
  { name: "Mr. Coffee", order_id: "512-34-7788" },
  { name: "Cotton Tee Shirt", order_id: "512-34-7788" },
  // The same as JSON text.
  { note: '{"name":"Blue Widget","order":"123-45-6789"}' },
  { note: '{"order_id":"123-45-6789","item":"Blue Widget"}' },
];

Deno.test("scanArguments() reads an order id beside a key that names a person as an SSN", () => {
  for (const [args, path] of PERSONS) {
    assert.deepEqual(ssnPaths(args), [path], JSON.stringify(args));
  }
});

Deno.test("scanArguments() leaves an order id among order keys alone", () => {
  for (const args of ORDERS) assert.deepEqual(ssnPaths(args), [], JSON.stringify(args));
});

Deno.test("isPersonKey() names people and their records, not things named", () => {
  for (const key of ["full_name", "firstName", "Last Name", "employee", "patient_id"]) {
    assert.equal(isPersonKey(key), true, key);
  }
  for (const key of ["patient_name", "customer_name", "customerName", "first_name", "Your Name"]) {
    assert.equal(isPersonKey(key), true, key);
  }
  for (const key of ["person", "individual", "contact_person", "personName", "client_name"]) {
    assert.equal(isPersonKey(key), true, key);
  }
  for (const key of ["members", "dob", "date_of_birth", "birthDate", "ssn", "diagnosis"]) {
    assert.equal(isPersonKey(key), true, key);
  }
  for (const key of ["name", "Name", "names", "campaign_name", "itemName", "order_name"]) {
    assert.equal(isPersonKey(key), false, key);
  }
  for (
    const key of ["product_name", "hostname", "username", "order_id", "membership_tier", "personal"]
  ) {
    assert.equal(isPersonKey(key), false, key);
  }
  assert.equal(holdsPersonKey(["ticket", "employee"]), true);
  assert.equal(holdsPersonKey(["order_id", "total"]), false);
});
