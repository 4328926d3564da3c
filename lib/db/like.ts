// Searching with LIKE/ILIKE: what the user typed is matched as text, never as a pattern.
// PostgreSQL's default escape character is the backslash; "%" and "_" typed by a user would
// otherwise match anything.

/**
 * `text` with LIKE's wildcards and escape character escaped. A NUL byte cannot be sent to
 * PostgreSQL at all (the query would fail: a 500 for a search); nothing stored contains one, so
 * it becomes U+FFFF, a noncharacter nothing stored contains either: the search matches nothing.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\0/g, "\uFFFF");
}

/** A LIKE pattern matching `text` anywhere. */
export function likePattern(text: string): string {
  return `%${likeLiteral(text)}%`;
}
