// Counts every HTTP request keydesk makes to Slack. Every Web API client (Bolt's, the
// notify worker's, Socket Mode's, auth.test's) is built with these clientOptions, and the
// WebClient sends each attempt (retries included) through `fetch`, and Bolt's `respond()`
// too: one wrapper sees every call and every 429, whoever made it.
import { slackFetch } from './slack-fetch.js';

export interface SlackCallMetrics {
  /** One HTTP request to Slack: the Web API method (or `response_url`), and the HTTP status or `error`. */
  slackCall(method: string, status: number | 'error'): void;
}

/** The method a URL names (`…/api/chat.postMessage` → `chat.postMessage`); any other URL is a `response_url` (Bolt's `respond()`). */
export function slackMethodOf(url: string): string {
  const path = (() => {
    try {
      return new URL(url).pathname;
    } catch {
      return '';
    }
  })();
  const method = /\/api\/([a-zA-Z]+(?:\.[a-zA-Z]+)+)$/.exec(path)?.[1];
  // A label's values must stay few: only the shape of a Web API method name, at most 60 characters.
  if (method && method.length <= 60) return method;
  return 'response_url';
}

/** Counts around `inner`, by default the fetch every Slack client sends through (slack-fetch.ts). */
export function countingFetch(metrics: SlackCallMetrics, inner: typeof fetch = slackFetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = slackMethodOf(url);
    try {
      const res = await inner(input, init);
      metrics.slackCall(method, res.status);
      return res;
    } catch (err) {
      metrics.slackCall(method, 'error');
      throw err;
    }
  };
}
