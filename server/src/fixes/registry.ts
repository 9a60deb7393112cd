/**
 * One definition per rewrite kind, and which kinds a finding is offered: the one its
 * recommendation names (preferred), then the correct alternatives.
 */
import type { Recommendation } from '../engine/types';
import type { FixContext } from './context';
import type { Rewrite } from './rewrite';
import type { FixKind } from './types';
import { sendfileRewrite } from './kinds/sendfile';
import { streamRewrite } from './kinds/stream';
import { copyFileRewrite } from './kinds/copyFile';
import { respondWithFileRewrite } from './kinds/respondWithFile';
import { mmapRewrite } from './kinds/mmap';
import { frameworkRewrite } from './kinds/framework';

export type RewriteDefinition = (ctx: FixContext) => Rewrite;

export const DEFINITIONS: Record<FixKind, RewriteDefinition> = {
  sendfile: sendfileRewrite,
  mmap: mmapRewrite,
  stream: streamRewrite,
  framework: frameworkRewrite,
  respondWithFile: respondWithFileRewrite,
  copyFile: copyFileRewrite,
};

export const PREFERRED: Record<Recommendation, FixKind> = {
  sendfile: 'sendfile',
  mmap: 'mmap',
  stream: 'stream',
  respondWithFile: 'respondWithFile',
  copyFile: 'copyFile',
};

/** The kinds tried for a recommendation, preferred first. */
export const OFFERED: Record<Recommendation, readonly FixKind[]> = {
  sendfile: ['sendfile', 'stream', 'framework'],
  stream: ['stream', 'framework'],
  respondWithFile: ['respondWithFile', 'stream'],
  mmap: ['mmap'],
  copyFile: ['copyFile'],
};
