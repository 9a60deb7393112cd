// Serves invoices as PDFs shown in the browser (inline), with a 404 page for unknown numbers.
const http = require('http');
const fs = require('fs');
const path = require('path');

const INVOICES = process.env.ROOT || '/srv/invoices';

const server = http.createServer((req, res) => {
  const id = path.basename(req.url);
  fs.readFile(path.join(INVOICES, id), (err, pdf) => {
    if (err) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/html');
      res.end(`<h1>No invoice ${id.replace(/[<>&"]/g, '')}</h1>`);
      return;
    }
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${id}"`);
    res.end(pdf);
  });
});

server.listen(process.env.PORT || 8080, process.env.HOST);
