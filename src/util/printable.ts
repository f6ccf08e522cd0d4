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

/** A single name for a one-line message: also its line feeds and tabs escaped. */
export function printableName(name: string): string {
  return escapeControls(name).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
