import { describe, expect, it } from 'vitest';
import { html, raw } from '../../src/pages/html.js';

describe('html template', () => {
  it('escapes every interpolation', () => {
    const email = '"><script>alert(1)</script>';
    expect(html`<input value="${email}">`.value).toBe('<input value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
  });

  it('leaves SafeHtml and nested templates alone, and drops null/false', () => {
    expect(html`<p>${html`<b>${'<i>'}</b>`}${null}${false}${raw('<br>')}</p>`.value).toBe('<p><b>&lt;i&gt;</b><br></p>');
  });

  it('joins arrays', () => {
    expect(html`<ul>${['a', 'b'].map((s) => html`<li>${s}</li>`)}</ul>`.value).toBe('<ul><li>a</li><li>b</li></ul>');
  });
});
