/**
 * True when `value` is exactly a web origin such as `http://localhost:5173`:
 * http(s), no path, query, fragment, userinfo or trailing slash. postMessage
 * checks compare `event.origin` with this string, so it must be canonical.
 */
export function isWebOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value;
}
