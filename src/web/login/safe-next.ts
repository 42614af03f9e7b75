/** true for characters a browser drops or reinterprets in a URL (control characters, backslash) */
const unsafeCharacter = (character: string): boolean => character === '\\' || character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f;

/**
 * Where to go after signing in: a local path only ("/staff?page=2"), never another site
 * ("//evil.example", "/\evil.example", "https://…"); anything else goes to the home page.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || [...value].some(unsafeCharacter)) return '/';
  // judged as a browser would read it: dot segments resolved ("/..//evil.example" is "//evil.example")
  const url = new URL(value, LOCAL_ORIGIN);
  const local = `${url.pathname}${url.search}${url.hash}`;
  return url.origin !== LOCAL_ORIGIN || local.startsWith('//') ? '/' : local;
}

const LOCAL_ORIGIN = 'http://mamori.invalid';
