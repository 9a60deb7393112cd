/**
 * Markdown as a reader sees it: rendered by markdown-it (CommonMark, with raw HTML allowed and
 * bare URLs linked, the most permissive setting an editor could use), then read back as HTML.
 */
import MarkdownIt from 'markdown-it';

const renderer = new MarkdownIt({ html: true, linkify: true });
// markdown-it refuses file: links by default; editors open them (the rule docs are file: links).
renderer.validateLink = (url) => !/^(javascript|vbscript|data):/i.test(url.trim());

export function renderMarkdown(markdown: string): string {
  return renderer.render(markdown);
}

/** The text a reader sees (tags dropped, entities decoded), whitespace collapsed. */
export function renderedText(markdown: string): string {
  return renderMarkdown(markdown)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every HTML tag name in the rendering, with the links' targets. */
export function renderedTags(markdown: string): { tags: Set<string>; links: string[] } {
  const html = renderMarkdown(markdown);
  const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));
  const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]!);
  return { tags, links };
}
