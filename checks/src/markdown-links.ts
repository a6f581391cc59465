/** A link found in a Markdown document. */
export interface MarkdownLink {
  /** The destination as written: a URL, a relative path, or `#anchor`. */
  target: string;
  /** 1-based line of the destination. */
  line: number;
}

const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/**
 * The text with fenced code blocks blanked out (newlines kept, so line numbers still match).
 *
 * @param markdown - A Markdown document.
 * @returns The same text, fenced code replaced by spaces.
 */
export function withoutFencedCode(markdown: string): string {
  return markdown.replace(
    /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm,
    blank,
  );
}

/** The text with fenced code and inline code spans blanked out: what is in code is not a link. */
function withoutCode(markdown: string): string {
  return withoutFencedCode(markdown).replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, blank);
}

const patterns = [
  // [text](target "title") and ![alt](target), the text possibly over several lines
  /\]\(\s*<?([^\s)<>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
  // [label]: target
  /^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)>?/gm,
  // <a href="target"> and <img src="target">
  /<(?:a|img)\s[^>]*?(?:href|src)\s*=\s*["']([^"']+)["']/gi,
];

/**
 * Every link destination of a Markdown document outside code: inline links and images,
 * reference definitions, and `href`/`src` of HTML `<a>` and `<img>`.
 *
 * @param markdown - A Markdown document.
 * @returns The links in the order of the patterns, each with its line.
 */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const text = withoutCode(markdown);
  const links: MarkdownLink[] = [];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const offset = match.index + match[0].indexOf(match[1]!);
      links.push({ target: match[1]!, line: text.slice(0, offset).split('\n').length });
    }
  }
  return links;
}
