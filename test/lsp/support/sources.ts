/** Source files that are plainly findings (or not) per RULES.md, shared by the protocol and editor tests. */

/** read-then-send -> sendfile: `fs.readFile` on line 3, characters 2-13; `res.end` on line 4. */
export const READ_THEN_SEND = [
  "const http = require('http');",
  "const fs = require('fs');",
  'http.createServer((req, res) => {',
  "  fs.readFile('./index.html', (err, data) => {",
  '    res.end(data);',
  '  });',
  '}).listen(8080);',
  '',
].join('\n');

/** stream-to-socket -> sendfile: `fs.createReadStream` on line 3, characters 2-21. */
export const STREAM_TO_SOCKET = [
  "const http = require('http');",
  "const fs = require('fs');",
  'http.createServer((req, res) => {',
  "  fs.createReadStream('./big.bin').pipe(res);",
  '}).listen(8081);',
  '',
].join('\n');

/** The same stream finding, with a syntax error further down, as while typing. */
export const STREAM_THEN_SYNTAX_ERROR = STREAM_TO_SOCKET + ['function half( {', '  return 1 +', ''].join('\n');

/** A helper module whose function reads a whole file and returns it (line 2, characters 9-24). */
export const HELPER_READS = ["const fs = require('fs');", 'exports.load = function load(p) {', '  return fs.readFileSync(p);', '};', ''].join('\n');
export const HELPER_RENDERS = ["exports.load = function load(p) {", "  return '<p>' + p + '</p>';", '};', ''].join('\n');
/** Sends what the helper returns: the finding lies in the helper, the sink here (line 3). */
export const APP_USES_HELPER = [
  "const http = require('http');",
  "const { load } = require('./helper');",
  'http.createServer((req, res) => {',
  "  res.end(load('./index.html'));",
  '}).listen(8080);',
  '',
].join('\n');

/** No finding: the file is transformed before it is sent. */
export const CLEAN = [
  "const http = require('http');",
  "const fs = require('fs');",
  'http.createServer((req, res) => {',
  "  fs.readFile('./data.json', 'utf8', (err, text) => {",
  '    res.end(JSON.stringify(JSON.parse(text).items));',
  '  });',
  '}).listen(8082);',
  '',
].join('\n');

/**
 * A file system object the server injects into its command handlers (the handler never imports
 * it): its `read` opens the stream (line 5, characters 21-40) and hands it to the callback.
 */
export const INJECTED_FS_READS = [
  "const fs = require('fs');",
  'class PhysicalFs {',
  '  read(path, callback) {',
  "    fs.open(path, 'r', (err, fd) => {",
  '      if (err) return callback(err);',
  '      callback(null, fs.createReadStream(null, { fd }));',
  '    });',
  '  }',
  '}',
  'module.exports = PhysicalFs;',
  '',
].join('\n');
/** A command handler that calls `read` on the injected object and pipes the stream (line 3). */
export const COMMAND_USES_INJECTED_FS = [
  'exports.get = function get(arg) {',
  '  arg.fs.read(arg.path, (err, stream) => {',
  '    if (err) return arg.fail(err);',
  '    stream.pipe(arg.response);',
  '  });',
  '};',
  '',
].join('\n');

/** read-then-send with an error branch (404): the fix engine rewrites it to sendFile (line 4, characters 2-13). */
export const READ_WITH_ERROR_BRANCH = [
  "const http = require('http');",
  "const fs = require('fs');",
  '',
  'http.createServer((req, res) => {',
  "  fs.readFile('./index.html', (err, data) => {",
  '    if (err) {',
  '      res.statusCode = 404;',
  '      return res.end();',
  '    }',
  "    res.setHeader('Content-Type', 'text/html');",
  '    res.end(data);',
  '  });',
  '}).listen(8080);',
  '',
].join('\n');

/**
 * A server with `n` read-then-send sites, one per line from line 3: past 5,000 sites the file
 * holds more data flows than one analysis follows (4 per site, 20,000 at most).
 */
export function manySites(n: number): string {
  const lines = ["const fs = require('fs');", "const http = require('http');", 'http.createServer((req, res) => {'];
  for (let i = 0; i < n; i++) lines.push(`  fs.readFile('f${i}', (e, d) => res.end(d));`);
  lines.push('}).listen(0);', '');
  return lines.join('\n');
}
