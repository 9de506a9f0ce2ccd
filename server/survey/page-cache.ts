/**
 * The survey page as nearly every citizen gets it (an empty form opened from a desk's QR code or
 * kiosk), rendered once and then served with only its form token put in: rendering the template
 * was most of what a page cost, and a hall scanning one poster asks for the same page hundreds of
 * times a minute.
 *
 * A page is kept per desk as the desk cache hands it out (desk-cache.ts: one object per desk and
 * questionnaire version until something changes) and per door and language. When the desk cache
 * lets go of a desk (its token rotated, the desk or its questionnaire edited, a new version locked
 * in, another app server's change seen) the next request gets a new object and so a fresh render:
 * this cache can never serve a page its desk cache would not. The token goes in escaped exactly as
 * the template's `<%=` would have put it. The page is kept as UTF-8 bytes: encoding 17 KB of
 * Vietnamese (and hashing it for an ETag, useless on a page that differs every time) cost as much
 * again as sending it.
 */
import ejs from 'ejs';

/** Letters and digits only, so escaping leaves it as it is; nothing a page could contain by chance. */
const PLACEHOLDER = 'SIPASFORMTOKEN7d1c0e58b2a94f36PLACEHOLDER';
/** Doors times languages is four per desk; anything beyond means a key that varies when it should not. */
const MAX_PAGES_PER_DESK = 16;

/** The page around its token, as UTF-8; null when the placeholder did not come out exactly once (then render each time). */
type Parts = readonly [before: Buffer, after: Buffer] | null;

export interface PageCache {
  /**
   * The page of `desk` for `key` (the language and the address it was opened at) with `formToken` in it, as UTF-8;
   * `render` makes the page for a given token and is called once per desk and key, with a placeholder.
   */
  page(desk: object, key: string, formToken: string, render: (formToken: string) => Promise<string>): Promise<Buffer>;
}

export function createPageCache(): PageCache {
  const pages = new WeakMap<object, Map<string, Promise<Parts>>>();

  async function partsOf(render: (formToken: string) => Promise<string>): Promise<Parts> {
    const parts = (await render(PLACEHOLDER)).split(PLACEHOLDER);
    return parts.length === 2 ? [Buffer.from(parts[0] ?? ''), Buffer.from(parts[1] ?? '')] : null;
  }

  return {
    async page(desk, key, formToken, render) {
      let ofDesk = pages.get(desk);
      if (!ofDesk) pages.set(desk, (ofDesk = new Map<string, Promise<Parts>>()));
      let parts = ofDesk.get(key);
      if (!parts) {
        if (ofDesk.size >= MAX_PAGES_PER_DESK) ofDesk.clear();
        const rendering = partsOf(render);
        ofDesk.set(key, rendering);
        // A failed render is not remembered.
        rendering.catch(() => ofDesk.delete(key));
        parts = rendering;
      }
      const found = await parts;
      return found ? Buffer.concat([found[0], Buffer.from(ejs.escapeXML(formToken)), found[1]]) : Buffer.from(await render(formToken));
    },
  };
}
