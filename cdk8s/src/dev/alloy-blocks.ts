/**
 * The text of one top-level block (`loki.process "lanyard" { … }`) of an Alloy configuration, from
 * its name to its closing brace, so the kind dev stack can reuse blocks of alloy-config.alloy
 * verbatim. Braces inside strings (`"…"`, `` `…` ``) and comments (`//`, `/* … *\/`) are skipped.
 */
export function alloyBlock(source: string, name: string, label: string): string {
  const header = `${name} "${label}" {`;
  let depth = 0;
  let start = -1;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '/' && source[i + 1] === '/') {
      i = source.indexOf('\n', i);
      if (i === -1) break;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      i = source.indexOf('*/', i + 2) + 1;
      continue;
    }
    if (c === '"' || c === '`') {
      for (i += 1; i < source.length && source[i] !== c; i++) if (c === '"' && source[i] === '\\') i += 1;
      continue;
    }
    if (depth === 0 && start === -1 && source.startsWith(header, i)) {
      start = i;
      i += header.length - 1;
      depth = 1;
      continue;
    }
    if (c === '{') depth += 1;
    if (c === '}') {
      depth -= 1;
      if (depth === 0 && start !== -1) return source.slice(start, i + 1);
    }
  }
  throw new Error(`no top-level block ${header.slice(0, -2)} in the Alloy configuration`);
}
