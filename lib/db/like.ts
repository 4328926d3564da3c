// Searching with LIKE/ILIKE: what the user typed is matched as text, never as a pattern.
// PostgreSQL's default escape character is the backslash; "%" and "_" typed by a user would
// otherwise match anything.

/** `text` with LIKE's wildcards and escape character escaped. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching `text` anywhere. */
export function likePattern(text: string): string {
  return `%${likeLiteral(text)}%`;
}
