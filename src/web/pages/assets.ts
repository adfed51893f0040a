// The pages' one stylesheet (the CSP allows style-src 'self' and no inline style).
import type { Route } from '../http.js';

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.4rem}label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text],input[type=password],input[type=email]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #888;border-radius:4px}
button{padding:.55rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#2a5bd7;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#2a5bd7;border:1px solid #2a5bd7;margin-left:.5rem}
small{color:#555}.error{color:#a3141b;background:#fdecec;padding:.5rem;border-radius:4px}
code.totp-key{word-break:break-all}section{border-top:1px solid #ddd;margin-top:1.5rem}h2{font-size:1.15rem}footer{margin-top:3rem;color:#666;font-size:.85rem}
nav.lang{margin-bottom:.5rem}nav.lang form.lang-choice{display:inline;margin:0}
nav.lang button{padding:0;background:none;color:#2a5bd7;text-decoration:underline;font-size:inherit}
`;

export function assetRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/assets/keydesk.css',
      handle: () => ({ status: 200, headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }, body: CSS }),
    },
  ];
}
