/**
 * Bounds the engine stops at are said, never silent: a file with more data flows than one
 * analysis follows reports the findings of the flows it kept, and says that more may be missing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFile, Project } from '../../server/src/engine';
import { manySites } from '../lsp/support/sources';

const INCOMPLETE = /^the analysis stopped at 20,000 data flows, the bound for one file: findings past that point may be missing \(5,000 reported\)$/;

describe('the flow bound', () => {
  it('a file past it reports what it found and says it stopped, in a fresh analysis and after an edit', () => {
    const project = new Project({ getText: () => undefined });
    const text = manySites(5_100);
    const first = analyzeFile('/p/many.js', text, { project });
    assert.equal(first.findings.length, 5_000);
    assert.match(first.incomplete ?? '', INCOMPLETE);
    // The next version goes through the part-by-part path first: the note must survive it.
    const edited = analyzeFile('/p/many.js', text + '// edited\n', { project });
    assert.equal(edited.findings.length, 5_000);
    assert.match(edited.incomplete ?? '', INCOMPLETE);
  });

  it('a file under it says nothing of the kind', () => {
    const r = analyzeFile('/p/some.js', manySites(200));
    assert.equal(r.findings.length, 200);
    assert.equal(r.incomplete, undefined);
  });
});
