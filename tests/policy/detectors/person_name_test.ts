/**
 * A person's name beside an order id makes the id an SSN again; a product or
 * company name in title case does not.
 */
import assert from "node:assert/strict";
import {
  holdsPersonName,
  isPersonName,
  leadsWithPersonName,
} from "../../../src/policy/detectors/person_name.ts";

Deno.test("holdsPersonName() finds a given name and a surname, or a title and a name", () => {
  for (
    const text of [
      "for Jane Doe",
      "Hi Jane Doe, your order",
      "John Q. Smith",
      "Mary O'Brien-Smith",
      "shipped to Mrs. Alvarez",
      "attn Mr Chen",
      // Given names of many backgrounds, a common surname last, a surname written first.
      "Ticket 512-34-7788: Jamal Washington",
      "Name: Jose Garcia",
      "for Diego Hernandez",
      "for Zephyrine Garcia",
      "for Zephyrine Okafor-Garcia",
      "Ticket 512-34-7788 for Nguyen Van Thanh",
      "Kim Soo",
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
      // Brands named as a person, a place's first word before a given name.
      "Order 512-34-7788: Mr. Coffee 12-cup maker",
      "Order 512-34-7788: Mrs. Meyer's hand soap",
      "Mr. Clean Magic Eraser",
      "San Diego Padres cap",
      "San Jose Sharks",
      "shipped to Port Washington",
      "2 x Jane Soap",
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

Deno.test("isPersonName() reads a name no list knows, but no product, color or brand", () => {
  for (
    const value of ["Jose Garcia", "Jamal Washington", "Oluwaseun Adeyemi", "Jamal Green"]
  ) {
    assert.equal(isPersonName(value), true, value);
  }
  for (
    const value of ["Navy Blue", "Mr. Coffee", "Red Cotton Tee", "Order Confirmation", "Gift Set"]
  ) {
    assert.equal(isPersonName(value), false, value);
  }
});

Deno.test("leadsWithPersonName() reads the words after a bare name label", () => {
  for (
    const text of [
      " Jamal Washington, order 512-34-7788",
      ' "Jose Garcia","order_id":"512-34-7788"',
      " Oluwaseun Adeyemi order 512-34-7788",
      " Doe, Jane",
    ]
  ) {
    assert.equal(leadsWithPersonName(text), true, text);
  }
  for (const text of [" Blue Widget\nOrder #: 512-34-7788", ' "report.pdf"', " Jane", ""]) {
    assert.equal(leadsWithPersonName(text), false, text);
  }
});

Deno.test("holdsPersonName() reads names in any alphabet with case, accents folded", () => {
  for (
    const text of [
      "for José García",
      "Siobhán O'Connor",
      "Łukasz Kowalski",
      "Nguyễn Văn An",
      "Иван Петров",
      "Zoë Müller",
      // A surname, a comma and a given name; an academic title.
      "Garcia, Jose",
      "Doe, Jane",
      "seen by Dr. Alvarez",
      "Prof Okafor",
    ]
  ) {
    assert.equal(holdsPersonName(text), true, text);
  }
  for (const text of ["Thanks, Jane", "Hello, Mary", "Dr. Pepper 12-pack", "Dr. Martens boots"]) {
    assert.equal(holdsPersonName(text), false, text);
  }
});

Deno.test("holdsPersonName() leaves brands and companies written as names alone", () => {
  for (
    const text of [
      "Order 512-34-7788: Sherwin Williams paint",
      "Aston Martin keyring",
      "Warby Parker glasses",
      "Booz Allen report",
      "Harley Davidson gloves",
      "Lee Cooper",
      "Kim Chi Kitchen",
      "Chen Industries",
      "Wang Labs",
      "Ticket 512-34-7788: Apache Hadoop Jenkins",
      "Kubernetes Jenkins Martin",
    ]
  ) {
    assert.equal(holdsPersonName(text), false, text);
  }
});

Deno.test("isPersonName() reads accented names, and no technical or product value", () => {
  for (
    const value of ["José García", "Zoë Müller", "Garcia, José", "Иван Петров", "Dr. Alvarez"]
  ) {
    assert.equal(isPersonName(value), true, value);
  }
  for (
    const value of [
      "prod cluster",
      "web server",
      "nightly backup",
      "Quarterly Report",
      "release branch",
      "Garden Hose",
      "Vanilla Latte",
      "Ocean Mist",
      "Summer Breeze",
      "Holiday Special",
      "nginx ingress",
      "staging database",
      "Build Pipeline",
      "Fix Typo",
      "Chen Industries",
    ]
  ) {
    assert.equal(isPersonName(value), false, value);
  }
  assert.equal(leadsWithPersonName(" José García, order 512-34-7788"), true);
  assert.equal(leadsWithPersonName(" prod cluster, order 512-34-7788"), false);
});
