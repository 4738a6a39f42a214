/** A sent file name as stored (a batch's, a portal scan's): its last path segment, no control characters, at most 255 characters. */
export function storedFileName(raw: string | undefined, fallback: string): string {
  let name = raw ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    /* keep as sent */
  }
  name = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  name = name.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 255);
  return name === '' ? fallback : name;
}
