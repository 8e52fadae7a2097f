/**
 * The one connection pool for every request the demo sends to the sidecar
 * (SDK and admin), so a stop can close all of them at once: a sidecar told to
 * shut down waits for the connections it still has open.
 */
import { Agent, fetch as undiciFetch } from 'undici';

export const connections = new Agent();

/** `fetch` over `connections`; given to the openai SDK and used for the admin port. */
export const demoFetch = ((url: string | URL | Request, init?: RequestInit) =>
  undiciFetch(url as string, { ...(init as object), dispatcher: connections })) as unknown as typeof fetch;
