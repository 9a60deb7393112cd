// Tiny page templates: {{name}} placeholders filled in per request.
const fs = require('fs');
const path = require('path');

const VIEWS = path.join(__dirname, '..', '..', 'views');
const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ENTITIES[c]);
}

// The template is rewritten before it is sent, so its read is not a copy to optimise.
function renderPage(name, values) {
  const template = fs.readFileSync(path.join(VIEWS, `${path.basename(name)}.html`), 'utf8');
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => escapeHtml(String(values[key] ?? '')));
}

module.exports = { renderPage };
