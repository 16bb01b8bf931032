/**
 * A person's name beside an order id makes the id an SSN again; a product or
 * company name in title case does not.
 */
import assert from "node:assert/strict";
import { holdsPersonName, isPersonName } from "../../../src/policy/detectors/person_name.ts";

Deno.test("holdsPersonName() finds a given name and a surname, or a title and a name", () => {
  for (
    const text of [
      "for Jane Doe",
      "Hi Jane Doe, your order",
      "John Q. Smith",
      "Mary O'Brien-Smith",
      "shipped to Mrs. Alvarez",
      "attn Mr Chen",
    ]
  ) {
    assert.equal(holdsPersonName(text), true, text);
  }
});

Deno.test("holdsPersonName() leaves product, company, place and shipping words alone", () => {
  for (
    const text of [
      "for Acme Rocket",
      "2 x Blue Widget",
      "Invoice from Acme Supply Co",
      "shipped to New York",
      "Via Ups Ground",
      "Jane Shipped",
      "John Smith Inc",
      "jane doe",
    ]
  ) {
    assert.equal(holdsPersonName(text), false, text);
  }
});

Deno.test("isPersonName() reads a field's value as a person's name, in any case", () => {
  for (const value of ["Jane Doe", "jane doe", "JOHN SMITH", "Doe, Jane", "Mrs. Alvarez"]) {
    assert.equal(isPersonName(value), true, value);
  }
  for (
    const value of ["Blue Widget", "Acme Rocket", "Jane", "report.pdf", "Jane Doe 2", "x", ""]
  ) {
    assert.equal(isPersonName(value), false, value);
  }
});
