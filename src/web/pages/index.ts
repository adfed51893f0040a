// The self-service web pages, server-rendered: /forgot, /reset/<token>,
// /change-password/<token> ("My account"), /confirm-email/<token>, /email-not-me/<token>,
// /set-security/<token>,
// /activate/<token>, /mfa/enroll/<token>, /login, /validate.
import type { CoreDeps } from '../../core/deps.js';
import type { Route } from '../http.js';
import type { RateLimiter } from '../rate-limit.js';
import { activateRoutes } from './activate.js';
import { assetRoutes } from './assets.js';
import type { PostLimits } from './token-form-route.js';
import { myAccountRoutes } from './my-account.js';
import { emailChangeRoutes } from './email-change.js';
import { forgotRoutes } from './forgot.js';
import { loginRoutes } from './login.js';
import { mfaEnrollRoutes } from './mfa-enroll.js';
import { resetRoutes } from './reset.js';
import { setSecurityRoutes } from './set-security.js';
import { validateRoutes } from './validate.js';

export interface PageLimiters {
  /** 5 POSTs per 10 minutes per client address on /forgot. */
  forgot: RateLimiter;
  /** POSTs per 10 minutes per client address on /validate (code requests and tries). */
  validate: RateLimiter;
  /** The auth API's login limiter, shared with /login. */
  login: RateLimiter;
  /** Form posts on the pages that hash, per client address and per link (10 minutes). */
  posts: PostLimits;
}

export function pageRoutes(deps: CoreDeps, limiters: PageLimiters): Route[] {
  return [
    ...assetRoutes(),
    ...forgotRoutes(deps, limiters.forgot),
    ...resetRoutes(deps, limiters.posts),
    ...myAccountRoutes(deps, limiters.posts),
    ...emailChangeRoutes(deps, limiters.posts),
    ...setSecurityRoutes(deps, limiters.posts),
    ...activateRoutes(deps, limiters.posts),
    ...mfaEnrollRoutes(deps, limiters.posts),
    ...loginRoutes(deps, limiters.login),
    ...validateRoutes(deps, limiters.validate),
  ];
}
