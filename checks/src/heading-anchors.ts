import { withoutFencedCode } from './markdown-links.ts';

/**
 * The anchor GitHub gives a heading: the rendered text in lower case, without punctuation
 * other than `-` and `_`, spaces as `-` (github-slugger's rule).
 *
 * @param heading - The heading's Markdown, without the leading `#`s.
 * @returns The anchor, without `#`.
 */
export function headingSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/**
 * Every anchor a link may point to in a Markdown document: one per heading (a repeated
 * heading's anchor gets `-1`, `-2`, … as on GitHub), and the `id` or `name` of HTML anchors.
 *
 * @param markdown - A Markdown document.
 * @returns The anchors, without `#`.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const text = withoutFencedCode(markdown);
  for (const [, heading] of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const slug = headingSlug(heading!);
    let anchor = slug;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${slug}-${n}`;
    anchors.add(anchor);
  }
  for (const [, id] of text.matchAll(/<a\s[^>]*?(?:id|name)\s*=\s*["']([^"']+)["']/gi)) {
    anchors.add(id!);
  }
  return anchors;
}
