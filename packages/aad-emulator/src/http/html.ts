import type { Response } from "express";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:26rem;margin:4rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600;margin:0 0 1rem}
label{display:block;margin:.75rem 0 .25rem}
input{box-sizing:border-box;width:100%;padding:.5rem;font-size:1rem}
button{margin-top:1.25rem;padding:.5rem 2rem;font-size:1rem;background:#0067b8;color:#fff;border:0}
.error{color:#e81123}
.hint{color:#555;font-size:.85rem}
code{font-size:.85rem}`;

/** A complete HTML document; `body` must already be escaped. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main></body>
</html>
`;
}

/** Sends an emulator page: never cached, never framed, no scripts. */
export function sendHtml(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      "Referrer-Policy": "no-referrer",
    })
    .send(html);
}
