// The eval's counting rules (score.ts): a finding is matched to the labelled call whose callee covers its start line,
// counted once per site, and unlabelled lines count as false positives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, Recommendation, RuleId } from '../../server/src/engine/index';
import type { LabelledSite } from './dataset';
import { precision, recall, recommendationAccuracy, scoreFile, totalsOf, type SiteSpan } from './score';

function site(line: number, label: RuleId | 'none', recommendation?: Recommendation, column = 5): LabelledSite {
  return { package: 'p', version: '1.0.0', file: 'a.js', line, column, callee: 'fs.readFile', label, recommendation, note: 'n' };
}
function span(s: LabelledSite, lastLine = s.line): SiteSpan {
  return { site: s, firstLine: s.line, lastLine };
}
function finding(line: number, rule: RuleId, recommendation: Recommendation, column = 5): Finding {
  const pos = { line: line - 1, character: column - 1 };
  const location = { fileName: '/x/a.js', range: { start: pos, end: pos } };
  return {
    rule,
    recommendation,
    fileName: '/x/a.js',
    range: { start: pos, end: pos },
    message: 'm',
    steps: [],
    sink: { kind: 'http-response', transport: 'unknown', location },
    holds: 'whole-file',
  };
}

describe('eval scoring', () => {
  it('counts true positives, false negatives, false positives and true negatives per site', () => {
    const tp = site(1, 'read-then-send', 'sendfile');
    const fn = site(2, 'stream-to-socket', 'sendfile');
    const fp = site(3, 'none');
    const tn = site(4, 'none');
    const score = scoreFile('a.js', [span(tp), span(fn), span(fp), span(tn)], [
      finding(1, 'read-then-send', 'sendfile'),
      finding(1, 'read-then-send', 'sendfile'), // a second sink from the same source: still one site
      finding(3, 'read-then-send', 'sendfile'),
      finding(9, 'stream-to-socket', 'sendfile'), // nobody labelled line 9
    ]);
    const t = totalsOf([score]);
    assert.deepEqual({ tp: t.tp, fp: t.fp, fn: t.fn, tn: t.tn }, { tp: 1, fp: 2, fn: 1, tn: 1 });
    assert.equal(score.unlabelled[0]?.line, 9);
    assert.equal(precision(t), 1 / 3);
    assert.equal(recall(t), 1 / 2);
  });

  it('matches a finding anywhere on a callee split over lines', () => {
    const s = site(10, 'stream-to-socket', 'sendfile');
    const t = totalsOf([scoreFile('a.js', [span(s, 11)], [finding(11, 'stream-to-socket', 'sendfile')])]);
    assert.equal(t.tp, 1);
    assert.equal(t.fp, 0);
  });

  it('tells two calls on one line apart by column', () => {
    const left = site(5, 'none', undefined, 3);
    const right = site(5, 'read-then-send', 'sendfile', 40);
    const score = scoreFile('a.js', [span(left), span(right)], [finding(5, 'read-then-send', 'sendfile', 40)]);
    assert.equal(score.truePositives.length, 1);
    assert.equal(score.falsePositives.length, 0);
    assert.equal(score.trueNegatives, 1);
  });

  it('judges the recommendation of the finding with the labelled rule', () => {
    const s = site(1, 'inspect-then-send', 'mmap');
    const right = totalsOf([scoreFile('a.js', [span(s)], [finding(1, 'read-then-send', 'sendfile'), finding(1, 'inspect-then-send', 'mmap')])]);
    assert.equal(recommendationAccuracy(right), 1);
    const wrong = totalsOf([scoreFile('a.js', [span(s)], [finding(1, 'read-then-send', 'sendfile')])]);
    assert.equal(recommendationAccuracy(wrong), 0);
    assert.equal(wrong.ruleRight, 0);
  });

  it('reports no ratio rather than a made-up one when nothing was found or labelled', () => {
    const t = totalsOf([scoreFile('a.js', [span(site(1, 'none'))], [])]);
    assert.equal(precision(t), undefined);
    assert.equal(recall(t), undefined);
  });
});
