// The stream is opened in another module and piped here: the sink is reached through another file.
const http = require('http');
const { openAsset } = require('./assets');

http
  .createServer((req, res) => {
    const stream = openAsset(req.url);
    stream.on('error', () => {
      res.statusCode = 404;
      res.end();
    });
    stream.pipe(res);
  })
  .listen(process.env.PORT || 8080, process.env.HOST);
