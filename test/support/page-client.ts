// A tiny browser for page tests over HTTP: keeps the kd_csrf cookie and reads each
// form's csrf field, so a test can post the way a real browser would.
export interface Page {
  status: number;
  text: string;
  headers: Headers;
}

/** A tiny browser: keeps the kd_csrf cookie and reads each form's csrf field. */
export class Browser {
  cookie = '';
  csrf = '';
  constructor(
    readonly base: string,
    readonly lang?: string,
  ) {}

  private absorb(res: Response, text: string): Page {
    const set = res.headers.get('set-cookie');
    const m = set ? /kd_csrf=([^;]+)/.exec(set) : null;
    if (m?.[1]) this.cookie = `kd_csrf=${m[1]}`;
    const f = /name="csrf" value="([^"]+)"/.exec(text);
    if (f?.[1]) this.csrf = f[1];
    return { status: res.status, text, headers: res.headers };
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.cookie ? { cookie: this.cookie } : {}), ...(this.lang ? { 'accept-language': this.lang } : {}), ...extra };
  }

  async get(path: string): Promise<Page> {
    const res = await fetch(this.base + path, { headers: this.headers(), redirect: 'manual' });
    return this.absorb(res, await res.text());
  }

  async post(path: string, fields: Record<string, string>, opts: { csrf?: string | null } = {}): Promise<Page> {
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const body = new URLSearchParams({ ...(csrf === null ? {} : { csrf }), ...fields });
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: body.toString(),
      redirect: 'manual',
    });
    return this.absorb(res, await res.text());
  }
}

export const hidden = (text: string, name: string): string => new RegExp(`name="${name}" value="([^"]+)"`).exec(text)?.[1] ?? '';

