import type { AttemptContext, Middleware, Next, RequestContext, Result } from './middleware.js';

type Handler<Ctx> = (ctx: Ctx) => Promise<Result>;
type Hook<Ctx> = (ctx: Ctx, next: Next) => Promise<Result>;

/**
 * Folds one level's hooks around a final handler once, at construction. Middleware
 * without a hook for the level are left out, so they cost nothing per call. `next` may
 * be called more than once (a retry middleware does).
 */
export function composeChain(middleware: readonly Middleware[], level: 'request', final: Handler<RequestContext>): Handler<RequestContext>;
export function composeChain(middleware: readonly Middleware[], level: 'attempt', final: Handler<AttemptContext>): Handler<AttemptContext>;
export function composeChain(
  middleware: readonly Middleware[],
  level: 'request' | 'attempt',
  final: Handler<RequestContext & AttemptContext>,
): Handler<RequestContext & AttemptContext> {
  let handler = final;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const mw = middleware[i] as Middleware;
    const hook = mw[level] as Hook<RequestContext & AttemptContext> | undefined;
    if (!hook) continue;
    const next = handler;
    handler = (ctx) => hook.call(mw, ctx, () => next(ctx));
  }
  return handler;
}
