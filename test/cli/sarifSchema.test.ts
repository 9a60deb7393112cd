import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSarif } from '../../server/src/cli/formats/sarif';
import { sampleReport } from './support/report';
import { sarifValidator } from './support/sarifValidator';

const validate = sarifValidator();

test('the SARIF written for findings, skipped files and errors is valid against the SARIF 2.1.0 schema', () => {
  const report = sampleReport();
  report.errors.push({ fileName: '/work/proj/src/bad.js', message: 'Error: boom\n    at x' });
  assert.deepEqual(validate(JSON.parse(JSON.stringify(toSarif(report)))), []);
});

test('so is the SARIF of a run without findings', () => {
  assert.deepEqual(validate(JSON.parse(JSON.stringify(toSarif({ ...sampleReport(), findings: [], skipped: [] })))), []);
});

test('the validator does reject what the schema forbids (it is not vacuous)', () => {
  const sarif = JSON.parse(JSON.stringify(toSarif(sampleReport())));
  sarif.runs[0].results[0].level = 'severe';
  sarif.runs[0].results[1].locations[0].physicalLocation.region.startLine = 0;
  delete sarif.runs[0].tool.driver.name;
  const errors = validate(sarif);
  assert.ok(errors.some((e) => e.includes('/runs/0/results/0/level')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes('/runs/0/results/1/locations/0/physicalLocation/region/startLine')), errors.join('\n'));
  assert.ok(errors.some((e) => e.includes("must have required property 'name'")), errors.join('\n'));
});
