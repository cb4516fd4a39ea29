/** The one stylesheet of the hosted pages, served from our origin (CSP `style-src 'self'`). */
export const STYLESHEET = `
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
.card { width: min(24rem, 92vw); padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 15%, transparent); border-radius: 12px; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
label { display: block; margin: 0.75rem 0 0.25rem; font-weight: 600; }
input[type=email], input[type=password], input[type=text] { width: 100%; box-sizing: border-box; padding: 0.6rem; border-radius: 6px; border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); font: inherit; }
button { margin-top: 1.25rem; width: 100%; padding: 0.7rem; border: 0; border-radius: 6px; background: #2f5bea; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
button.secondary { background: transparent; color: CanvasText; border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); }
.error { color: #c62828; }
.muted { opacity: 0.7; font-size: 0.9rem; }
ul.scopes { padding-left: 1.2rem; }
nav.links { margin-top: 1rem; display: flex; justify-content: space-between; gap: 1rem; font-size: 0.9rem; }
.notice { color: #1b5e20; }
.hint { margin: 0.25rem 0 0; }
main.wide { width: min(40rem, 94vw); }
section { margin-top: 1.75rem; padding-top: 1rem; border-top: 1px solid color-mix(in srgb, CanvasText 15%, transparent); }
h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
ul.items { list-style: none; padding: 0; margin: 0; }
ul.items li { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: 0.5rem 0; }
ul.items form button { margin-top: 0; width: auto; padding: 0.4rem 0.8rem; }
.qr { display: block; width: 12rem; height: 12rem; margin: 1rem auto; background: #fff; padding: 0.5rem; border-radius: 6px; }
code.secret { display: block; font-size: 1rem; letter-spacing: 0.05em; word-spacing: 0.3em; padding: 0.5rem; text-align: center; }
ol.codes { columns: 2; font-family: ui-monospace, monospace; font-size: 1.05rem; padding-left: 2rem; }
details { margin-top: 1.25rem; }
nav.providers { display: grid; gap: 0.5rem; margin-top: 1rem; }
a.button { display: block; text-align: center; padding: 0.7rem; border-radius: 6px; border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); color: CanvasText; text-decoration: none; font-weight: 600; }
.badge { font-size: 0.8rem; padding: 0.1rem 0.4rem; border-radius: 4px; border: 1px solid currentColor; }
`;
