/** The part of markdown-it (a CommonMark renderer, devDependency) the tests use; it ships no types. */
declare module 'markdown-it' {
  interface Options {
    html?: boolean;
    linkify?: boolean;
  }
  class MarkdownIt {
    constructor(options?: Options);
    render(markdown: string): string;
    validateLink: (url: string) => boolean;
  }
  export default MarkdownIt;
}
