import type { Block, EmailContent } from './email-content.js';

// RFC 5322 §2.1.1 recommends lines of at most 78 characters; 72 leaves room for quoting in replies.
const WIDTH = 72;

/** Greedy word wrap that never breaks a word, so a long link stays whole on its own line. */
function wrap(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ').filter((w) => w !== '')) {
        if (current === '') current = word;
        else if (Array.from(current).length + 1 + Array.from(word).length <= WIDTH) current += ` ${word}`;
        else {
          out.push(current);
          current = word;
        }
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
    case 'note':
      return wrap(b.text);
    case 'action':
      // The link alone on its line: clients make it clickable, and copying it takes no trimming.
      return `${b.label}:\n${b.url}`;
    case 'details': {
      const width = Math.max(...b.rows.map(([label]) => Array.from(label).length)) + 3;
      return b.rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n');
    }
  }
}

/**
 * The plain-text version of a message: the tenant's name, the heading underlined, the blocks
 * separated by blank lines, and the footer after a signature separator (`-- `, RFC 3676 §4.3) so
 * replying clients leave it out.
 */
export function textLayout(content: EmailContent): string {
  const parts = [content.tenant];
  if (content.heading !== undefined) parts.push(`${content.heading}\n${'='.repeat(Array.from(content.heading).length)}`);
  parts.push(...content.blocks.map(block));
  parts.push(`-- \nThis is an automated message from ${content.tenant}. Please do not reply to it.`);
  return `${parts.join('\n\n')}\n`;
}
