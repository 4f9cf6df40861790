import { AsyncLocalStorage } from 'node:async_hooks';
import { type ClientRequest, Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { markRequestProgress } from './network-errors.js';

/**
 * Evidence of how far a failed request got, so `classifyTransportError` can tell "never written" (safe to
 * send again) from "written, answer lost" (may have been delivered).
 */

interface Progress {
  dispatched: boolean;
  written: boolean;
}

// undici keeps its global dispatcher under this registry symbol (shared by every undici copy in a process).
const UNDICI_GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');
// Majors whose request handler calls `onRequestSent` once the whole request is on the socket (checked on 6.x).
const TRACKED_UNDICI_MAJORS = new Set(['5', '6']);

interface Dispatcher {
  dispatch(options: unknown, handler: object): boolean;
}

function globalDispatcher(): Dispatcher | undefined {
  void globalThis.fetch; // loading Node's fetch installs the global dispatcher
  const value = (globalThis as Record<symbol, unknown>)[UNDICI_GLOBAL_DISPATCHER];
  return value && typeof (value as Dispatcher).dispatch === 'function' ? (value as Dispatcher) : undefined;
}

/**
 * Node's global `fetch`, with each failure marked with whether its request was written whole: undici's
 * `onRequestSent` (or any part of an answer) means written; a request never dispatched, or one that failed
 * before that hook, was not. Other runtimes (or a replaced `fetch`) get plain `fetch`, unmarked.
 */
export function progressTrackingFetch(): typeof fetch {
  const base = globalThis.fetch;
  const inner = globalDispatcher();
  const major = process.versions.undici?.split('.')[0] ?? '';
  if (!inner || !TRACKED_UNDICI_MAJORS.has(major)) return base;
  return async (input, init) => {
    const progress: Progress = { dispatched: false, written: false };
    const dispatcher: Dispatcher = {
      dispatch(options, handler) {
        progress.dispatched = true;
        return inner.dispatch(options, trackingHandler(handler, progress));
      },
    };
    try {
      return await base(input, { ...init, dispatcher } as RequestInit);
    } catch (error) {
      throw markRequestProgress(error, progress.written);
    }
  };
}

const ANSWER_HOOKS = new Set(['onResponseStarted', 'onHeaders', 'onData', 'onComplete', 'onUpgrade']);

function trackingHandler(handler: object, progress: Progress): object {
  return new Proxy(handler, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'onRequestSent') {
        return (...args: unknown[]) => {
          progress.written = true;
          return typeof value === 'function' ? value.apply(target, args) : undefined;
        };
      }
      if (typeof property === 'string' && ANSWER_HOOKS.has(property) && typeof value === 'function') {
        return (...args: unknown[]) => {
          progress.written = true;
          return value.apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const currentRequest = new AsyncLocalStorage<Progress>();

function trackRequest(request: ClientRequest): void {
  const progress = currentRequest.getStore();
  if (!progress) return;
  progress.dispatched = true;
  request.once('finish', () => {
    progress.written = true;
  });
}

/**
 * HTTP and HTTPS agents (for the AWS SDK's Node handler) that note, for the call running inside
 * `withRequestProgress`, when the request's `finish` event says its last byte went to the OS.
 */
export class ProgressTrackingHttpsAgent extends HttpsAgent {
  addRequest(request: ClientRequest, options: unknown): void {
    trackRequest(request);
    // biome-ignore lint/suspicious/noExplicitAny: Agent#addRequest is public at run time, untyped in @types/node.
    (HttpsAgent.prototype as any).addRequest.call(this, request, options);
  }
}

export class ProgressTrackingHttpAgent extends HttpAgent {
  addRequest(request: ClientRequest, options: unknown): void {
    trackRequest(request);
    // biome-ignore lint/suspicious/noExplicitAny: Agent#addRequest is public at run time, untyped in @types/node.
    (HttpAgent.prototype as any).addRequest.call(this, request, options);
  }
}

/** Runs `send`; a failure is marked with whether its request was written whole (through the agent above). */
export async function withRequestProgress<T>(send: () => Promise<T>): Promise<T> {
  const progress: Progress = { dispatched: false, written: false };
  try {
    return await currentRequest.run(progress, send);
  } catch (error) {
    // Without a dispatch the request did not go through a tracking agent: say nothing.
    throw progress.dispatched ? markRequestProgress(error, progress.written) : error;
  }
}
