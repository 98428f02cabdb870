import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** Proxy settings read from the environment once, when a client is created. */
interface ProxySettings {
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  noProxy: string;
}

/** HTTP(S)_PROXY / NO_PROXY in either case (lower case wins, as in curl); undefined when no proxy is set. */
function proxyFromEnv(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const pick = (name: string): string | undefined => nonEmpty(env[name.toLowerCase()]) ?? nonEmpty(env[name]);
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  if (httpProxy === undefined && httpsProxy === undefined) return undefined;
  return { httpProxy, httpsProxy, noProxy: pick('NO_PROXY') ?? '' };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * The CA list for a client with extra CAs. Node's `ca` option replaces the default roots, so the
 * bundled roots and NODE_EXTRA_CA_CERTS (often a corporate TLS-inspection CA) are added back.
 */
export function trustedCas(caPem: string, env: NodeJS.ProcessEnv): string[] {
  const extraFile = nonEmpty(env.NODE_EXTRA_CA_CERTS);
  const extra: string[] = [];
  if (extraFile !== undefined) {
    try {
      extra.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at startup; nothing to add here.
    }
  }
  return [...rootCertificates, ...extra, caPem];
}

export interface DispatcherOptions {
  caPem?: string;
}

/**
 * An undici dispatcher with verification always on: a plain Agent, or an EnvHttpProxyAgent when a proxy
 * is configured in the environment. The extra CAs apply to direct connections (`connect`), to the target
 * through a CONNECT tunnel (`requestTls`) and to an https proxy itself (`proxyTls`).
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const tls = options.caPem === undefined ? {} : { ca: trustedCas(options.caPem, process.env) };
  // The client's per-attempt deadline covers headers and body; undici's own 300 s timers would only interfere.
  const common = { connect: tls, headersTimeout: 0, bodyTimeout: 0 };
  const proxy = proxyFromEnv(process.env);
  if (proxy === undefined) return new Agent(common);
  return new EnvHttpProxyAgent({ ...common, ...proxy, requestTls: tls, proxyTls: tls });
}
