import { Marked } from 'marked';
import { escapeHtml } from './dom.js';

/** Markdown → HTML; raw HTML in a description is shown as text, and links keep to http(s), mailto and anchors. */
const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token) {
      return escapeHtml(token.text);
    },
    link(token) {
      const href = /^(https?:|mailto:|#)/i.test(token.href) ? token.href : '#';
      return `<a href="${escapeHtml(href)}" target="${href.startsWith('#') ? '_self' : '_blank'}" rel="noopener">${this.parser.parseInline(token.tokens)}</a>`;
    },
    image(token) {
      return escapeHtml(token.text);
    },
  },
});

export function renderMarkdown(text: string): string {
  return text.trim() ? (marked.parse(text) as string) : '';
}
