/**
 * The label of a value that an object names beside it instead of by its
 * key. Configurations and records often hold a setting as a pair, where the
 * key of the value says nothing and its sibling says what it is:
 *
 * - environment lists (Kubernetes, ECS, CI): `{"name": "DB_PASSWORD", "value": "…"}`;
 * - parameter stores and forms: `{"Name": "/prod/api_key", "Value": "…"}`, `{"key": "ssn", "value": "…"}`,
 *   CloudFormation's `ParameterKey`/`ParameterValue`, Elastic Beanstalk's `OptionName`, a password
 *   manager's `{"label": "password", "value": "…"}`, a name written for people (`Social Security Number`);
 * - FHIR identifiers: `{"system": "http://hl7.org/fhir/sid/us-ssn", "value": "…"}`, or a
 *   `type` coded `MR` (medical record number), `SS` (social security number) or `NPI`.
 *
 * The detectors then read the value under that label, as they would read
 * `{"DB_PASSWORD": "…"}`. A value alone in an object under a label
 * (`{"ssn": {"value": "…"}}`) is read under that label when it is passed in.
 * Every label, a key or a name, is read in one form ({@linkcode childLabel}):
 * words written for people (`Social Security Number`, `date-of-birth`,
 * `D.O.B.`, `SSN #:`) as a snake-case key (`Social_Security_Number`). Pure.
 *
 * @example
 * ```ts
 * namedValueLabel({ name: "DB_PASSWORD", value: "x" }); // { valueKey: "value", label: "DB_PASSWORD" }
 * namedValueLabel({ system: "http://hl7.org/fhir/sid/us-ssn", value: "x" }); // { …, label: "ssn" }
 * namedValueLabel({ value: "x" }); // undefined
 * ```
 */

import { detectionText } from "./detection_text.ts";

const VALUE_KEYS = ["value", "Value", "VALUE", "val", "Val", "ParameterValue"] as const;
const NAME_KEYS = [
  "name",
  "Name",
  "NAME",
  "key",
  "Key",
  "KEY",
  "ParameterName",
  "parameterName",
  "ParameterKey",
  "OptionName",
  "label",
  "Label",
  "variable",
  "Variable",
  "field",
  "Field",
] as const;
/** FHIR identifier systems, by the label the detectors know their values by. */
const SYSTEMS: readonly [RegExp, string][] = [
  [/\/sid\/us-ssn$|^urn:oid:2\.16\.840\.1\.113883\.4\.1$/, "ssn"],
  [/\/sid\/us-npi$|^urn:oid:2\.16\.840\.1\.113883\.4\.6$/, "npi"],
  [/\/sid\/us-mbi$/, "mbi"],
];
/** HL7 v2 identifier type codes (table 0203) FHIR uses in `type.coding`. */
const TYPE_CODES: Readonly<Record<string, string>> = { MR: "mrn", SS: "ssn", NPI: "npi" };
const MAX_NAME = 128;
/**
 * Longest label the detectors get. No key pattern matches a longer one, and a
 * long key over many values would otherwise be read once per value.
 */
export const MAX_LABEL = 256;

/** What {@linkcode namedValueLabel} finds in an object. */
export interface NamedValue {
  valueKey: string;
  label: string;
}

/**
 * The label the detectors read `object[key]` under, given what
 * {@linkcode namedValueLabel} found in `object`: the name a pair gives its
 * value, else the key, in the form the detectors read text
 * ({@linkcode detectionText}) and with the words of a name written for
 * people joined as a key's are: white space, dots and dashes around and
 * between them dropped or made one `_`, a final `#` or `:` dropped
 * (`Date of Birth` reads `Date_of_Birth`, `x-api-key` reads `x_api_key`,
 * `SSN #:` reads `SSN`); undefined when it is too long to be a name.
 * The scan, the audit log's shapes and approval prompts all label keys
 * this way, so a key the detectors flag is hidden in each of them.
 */
export function childLabel(key: string, named: NamedValue | undefined): string | undefined {
  const label = named !== undefined && named.valueKey === key ? named.label : key;
  return label.length > MAX_LABEL ? undefined : labelForm(detectionText(label));
}

/** What {@linkcode labelForm} changes: a space, a dot or a dash, or a final `#` or `:`. */
const UNJOINED = /[\s.-]|[#:]$/;
/** Separators and closing marks at either end of a label (`D.O.B.`, `SSN #:`, `-x`). */
const ENDS = /^[\s.-]+|[\s.:#-]+$/g;
/** A run of white space, dots and dashes between the words of a label. */
const GAPS = /[\s.-]+/g;

/** Labels already joined: a call's records and a session's calls repeat a few field names. */
const JOINED = new Map<string, string>();
const MAX_JOINED = 1024;

/** `label` with its words joined as a snake-case key's (see {@linkcode childLabel}). */
function labelForm(label: string): string {
  if (!UNJOINED.test(label)) return label;
  let joined = JOINED.get(label);
  if (joined !== undefined) return joined;
  joined = label.replace(ENDS, "").replace(GAPS, "_") || label;
  if (JOINED.size >= MAX_JOINED) JOINED.clear();
  JOINED.set(label, joined);
  return joined;
}

/**
 * Which member holds the value and the label it is read under, when `object`
 * is such a pair; a value alone under `label` (the label `object` sits under)
 * keeps that label.
 */
export function namedValueLabel(
  object: Record<string, unknown>,
  label?: string,
): NamedValue | undefined {
  const valueKey = VALUE_KEYS.find((k) => Object.hasOwn(object, k));
  if (valueKey === undefined) return undefined;
  const system = object["system"];
  if (typeof system === "string") {
    for (const [pattern, label] of SYSTEMS) if (pattern.test(system)) return { valueKey, label };
  }
  const typed = typeCodeLabel(object["type"]);
  if (typed !== undefined) return { valueKey, label: typed };
  for (const k of NAME_KEYS) {
    const name = object[k];
    if (typeof name === "string" && name.length > 0 && name.length <= MAX_NAME) {
      // A parameter path names the setting by its last part ("/prod/db/api_key");
      // a name written for people ("Social Security Number") is joined by childLabel.
      return { valueKey, label: name.slice(name.lastIndexOf("/") + 1) || name };
    }
  }
  return label === undefined ? undefined : { valueKey, label };
}

function typeCodeLabel(type: unknown): string | undefined {
  if (type === null || typeof type !== "object") return undefined;
  const coding = (type as { coding?: unknown }).coding;
  if (!Array.isArray(coding)) return undefined;
  for (const c of coding) {
    const code = c !== null && typeof c === "object" ? (c as { code?: unknown }).code : undefined;
    if (typeof code === "string" && Object.hasOwn(TYPE_CODES, code)) return TYPE_CODES[code];
  }
  return undefined;
}
