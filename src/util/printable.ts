/**
 * Control characters from untrusted names (DWARF strings, JSON reports) must not reach a
 * terminal: an escape sequence in a struct name could rewrite the screen, a bidi override could
 * reorder what is shown (Trojan Source). Everything written goes through `escapeControls`, which
 * spells such characters `\uXXXX`: readable in text, and in JSON output (where C0 characters are
 * already escaped by JSON.stringify) the same escape, so a JSON report still holds the raw name.
 * Line feeds and tabs, which the renderers write themselves, pass unchanged.
 */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

export function escapeControls(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** SGR (colour) sequences: the only escape sequences structscope writes itself. */
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * `escapeControls` for text a renderer coloured itself (`--format map` on a terminal): its SGR
 * sequences pass, every other control character is escaped. The renderer strips control
 * characters from the names it draws, so no SGR sequence can come from the input.
 */
export function escapeControlsKeepingColour(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    out += escapeControls(text.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapeControls(text.slice(last));
}

/** A single name for a one-line message: also its line feeds and tabs escaped. */
export function printableName(name: string): string {
  return escapeControls(name).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
