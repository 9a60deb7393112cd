/** Validates SARIF against the official 2.1.0 schema (vendored: see fixtures/sarif-schema-2.1.0.NOTICE.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const SCHEMA = join(__dirname, '../../../../test/cli/fixtures/sarif-schema-2.1.0.json');

export function sarifValidator(): (log: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}
