import type { AttemptContext, Middleware, Next, RequestContext, Result } from './middleware.js';

type Handler<Ctx> = (ctx: Ctx) => Promise<Result>;
type Hook<Ctx> = (ctx: Ctx, next: Next) => Promise<Result>;

/**
 * Folds hooks around a final handler once, at construction. Middleware without a hook
 * for this level are left out, so they cost nothing per call. `next` may be called more
 * than once (a retry middleware does).
 */
function compose<Ctx>(hooks: readonly Hook<Ctx>[], final: Handler<Ctx>): Handler<Ctx> {
  let handler = final;
  for (let i = hooks.length - 1; i >= 0; i--) {
    const hook = hooks[i] as Hook<Ctx>;
    const next = handler;
    handler = (ctx) => hook(ctx, () => next(ctx));
  }
  return handler;
}

export function composeRequestChain(
  middleware: readonly Middleware[],
  final: Handler<RequestContext>,
): Handler<RequestContext> {
  const hooks: Hook<RequestContext>[] = [];
  for (const mw of middleware) if (mw.request) hooks.push(mw.request.bind(mw));
  return compose(hooks, final);
}

export function composeAttemptChain(
  middleware: readonly Middleware[],
  final: Handler<AttemptContext>,
): Handler<AttemptContext> {
  const hooks: Hook<AttemptContext>[] = [];
  for (const mw of middleware) if (mw.attempt) hooks.push(mw.attempt.bind(mw));
  return compose(hooks, final);
}
