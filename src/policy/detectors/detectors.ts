/**
 * The detector table, in the order they run. Weights feed the risk score:
 * secrets weigh most (a leaked credential is an incident on its own), then
 * direct patient identifiers, then contact details; provider identifiers (NPI,
 * DEA) are public registries and weigh little. A detector with `digits` is
 * skipped for text with fewer ASCII digits, or a shorter run of them, than
 * every one of its patterns needs (see `digit_census.ts`): an NPI is ten digits
 * in a row, a card number thirteen digits.
 *
 * @example
 * ```ts
 * DETECTORS.filter((d) => d.kind === "secret").map((d) => d.type);
 * // ["private_key", "aws_access_key_id", …]
 * ```
 */
import { detectApiKeyAssignment } from "./detect_api_key_assignment.ts";
import { AWS_KEY_ID_STARTS, detectAwsAccessKey } from "./detect_aws_access_key.ts";
import { detectDateOfBirth } from "./detect_date_of_birth.ts";
import { detectDeaNumber } from "./detect_dea_number.ts";
import { detectEmail } from "./detect_email.ts";
import { detectGithubToken, GITHUB_TOKEN_STARTS } from "./detect_github_token.ts";
import { detectGoogleApiKey, GOOGLE_API_KEY_STARTS } from "./detect_google_api_key.ts";
import { detectHttpAuthorization } from "./detect_http_authorization.ts";
import { detectIcd10Code } from "./detect_icd10_code.ts";
import { detectJwt, JWT_STARTS } from "./detect_jwt.ts";
import { detectMedicareMbi } from "./detect_medicare_mbi.ts";
import { detectMrnLabel } from "./detect_mrn_label.ts";
import { detectNpi } from "./detect_npi.ts";
import { detectPaymentCard } from "./detect_payment_card.ts";
import { detectPhoneNumber } from "./detect_phone_number.ts";
import { detectPrivateKey } from "./detect_private_key.ts";
import { detectProviderToken, PROVIDER_TOKEN_STARTS } from "./detect_provider_token.ts";
import { detectSlackToken, SLACK_TOKEN_STARTS } from "./detect_slack_token.ts";
import { detectUrlCredentials } from "./detect_url_credentials.ts";
import { detectUsSsn } from "./detect_us_ssn.ts";
import type { DetectorSpec } from "./detector_spec.ts";

/** Every built-in detector. */
export const DETECTORS: readonly DetectorSpec[] = [
  {
    kind: "secret",
    type: "private_key",
    weight: 100,
    label: "private key",
    detect: detectPrivateKey,
  },
  {
    kind: "secret",
    type: "aws_access_key_id",
    weight: 60,
    label: "AWS access key id",
    detect: detectAwsAccessKey,
    starts: AWS_KEY_ID_STARTS,
  },
  {
    kind: "secret",
    type: "github_token",
    weight: 60,
    label: "GitHub token",
    detect: detectGithubToken,
    starts: GITHUB_TOKEN_STARTS,
  },
  {
    kind: "secret",
    type: "slack_token",
    weight: 60,
    label: "Slack token",
    detect: detectSlackToken,
    starts: SLACK_TOKEN_STARTS,
  },
  {
    kind: "secret",
    type: "google_api_key",
    weight: 60,
    label: "Google API key",
    detect: detectGoogleApiKey,
    starts: GOOGLE_API_KEY_STARTS,
  },
  {
    kind: "secret",
    type: "provider_token",
    weight: 60,
    label: "provider API key or token",
    detect: detectProviderToken,
    starts: PROVIDER_TOKEN_STARTS,
  },
  {
    kind: "secret",
    type: "jwt",
    weight: 60,
    label: "JSON Web Token",
    detect: detectJwt,
    starts: JWT_STARTS,
  },
  {
    kind: "secret",
    type: "http_authorization",
    weight: 60,
    label: "HTTP Authorization credential",
    detect: detectHttpAuthorization,
  },
  {
    kind: "secret",
    type: "url_credentials",
    weight: 60,
    label: "password in a URL or on a command line",
    detect: detectUrlCredentials,
  },
  {
    kind: "secret",
    type: "api_key_assignment",
    weight: 60,
    label: "secret assigned to a key name",
    detect: detectApiKeyAssignment,
    digits: { count: 1, run: 1 },
  },
  {
    kind: "phi",
    type: "us_ssn",
    weight: 40,
    label: "US Social Security number",
    detect: detectUsSsn,
    digits: { count: 7, run: 4 },
  },
  {
    kind: "phi",
    type: "medicare_mbi",
    weight: 40,
    label: "Medicare Beneficiary Identifier",
    detect: detectMedicareMbi,
    digits: { count: 5, run: 2 },
  },
  {
    kind: "phi",
    type: "mrn",
    weight: 40,
    label: "medical record number",
    detect: detectMrnLabel,
    digits: { count: 4, run: 2 },
  },
  {
    kind: "phi",
    type: "date_of_birth",
    weight: 30,
    label: "date of birth",
    detect: detectDateOfBirth,
    digits: { count: 4, run: 2 },
  },
  {
    kind: "phi",
    type: "icd10_code",
    weight: 25,
    label: "ICD-10 diagnosis code",
    detect: detectIcd10Code,
    digits: { count: 1, run: 1 },
  },
  {
    kind: "phi",
    type: "npi",
    weight: 10,
    label: "National Provider Identifier",
    detect: detectNpi,
    digits: { count: 10, run: 10 },
  },
  {
    kind: "phi",
    type: "dea_number",
    weight: 10,
    label: "DEA registration number",
    detect: detectDeaNumber,
    digits: { count: 7, run: 7 },
  },
  {
    kind: "pii",
    type: "payment_card",
    weight: 40,
    label: "payment card number",
    detect: detectPaymentCard,
    digits: { count: 13, run: 1 },
  },
  { kind: "pii", type: "email", weight: 10, label: "email address", detect: detectEmail },
  {
    kind: "pii",
    type: "phone_number",
    weight: 10,
    label: "phone number",
    detect: detectPhoneNumber,
    digits: { count: 8, run: 1 },
  },
];
