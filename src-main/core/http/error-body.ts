// Pulls the server's own explanation out of the error bodies seen in the wild (protocols.md §1.13, §3).

const MAX_EXPLANATION = 200;

/** What an error response said about itself. */
export interface ServerExplanation {
  /** Human text from the server, cleaned and truncated; undefined when it said nothing useful. */
  text?: string;
  /** SCIM `scimType` (e.g. invalidFilter, uniqueness, invalidCursor). */
  scimType?: string;
  /** Vendor error code: Okta errorCode, Graph error.code, SCIM 1.1 code, OAuth error. */
  serverCode?: string;
  /** Machine reasons, e.g. Google's userRateLimitExceeded. */
  reasons: string[];
}

export function explainErrorBody(body: string, contentType: string | null): ServerExplanation {
  const trimmed = body.trim();
  if (trimmed === '') return { reasons: [] };
  if (trimmed.startsWith('{')) {
    const parsed = tryParse(trimmed);
    if (isRecord(parsed)) {
      const explanation = explainJson(parsed);
      return { ...explanation, text: clean(explanation.text) };
    }
  }
  const looksHtml = (contentType ?? '').toLowerCase().includes('html') || /^<(!doctype|html|head|body)\b/i.test(trimmed);
  return { text: clean(looksHtml ? stripHtml(trimmed) : trimmed), reasons: [] };
}

function explainJson(body: Record<string, unknown>): ServerExplanation {
  const own = explainOwn(body);
  // SimpleIdServer and others wrap the real error: {"status":..,"response":{...}}
  if (own.text === undefined && isRecord(body.response)) return explainOwn(body.response);
  return own;
}

function explainOwn(body: Record<string, unknown>): ServerExplanation {
  const scimType = str(body.scimType);
  const scim = {
    scimType: scimType === undefined || scimType.toLowerCase() === 'null' ? undefined : scimType,
    reasons: [] as string[],
  };
  const detail = str(body.detail);
  if (detail !== undefined) return { ...scim, text: detail };

  const legacy = body.Errors ?? body.errors;
  if (Array.isArray(legacy) && legacy.every(isRecord)) {
    return {
      ...scim,
      text: joined(legacy.map((e) => str(e.description) ?? str(e.message))),
      serverCode: legacy.map((e) => str(e.code)).find((c) => c !== undefined),
    };
  }

  const summary = str(body.errorSummary);
  if (summary !== undefined) {
    const causes = Array.isArray(body.errorCauses) ? body.errorCauses.filter(isRecord).map((c) => str(c.errorSummary)) : [];
    const causeText = joined(causes);
    return { ...scim, text: causeText === undefined ? summary : `${summary}: ${causeText}`, serverCode: str(body.errorCode) };
  }

  if (isRecord(body.error)) {
    const error = body.error;
    const items = [...records(error.errors), ...records(error.details)];
    return {
      ...scim,
      text: str(error.message),
      serverCode: typeof error.code === 'string' ? error.code : str(error.status),
      reasons: items.map((e) => str(e.reason)).filter((r): r is string => r !== undefined),
    };
  }

  const oauthError = str(body.error);
  if (oauthError !== undefined) return { ...scim, text: str(body.error_description) ?? oauthError, serverCode: oauthError };

  return { ...scim, text: str(body.message) ?? str(body.title) };
}

/** HTML to its visible text: scripts, styles and comments dropped, tags removed, common entities decoded. */
function stripHtml(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;|&apos;/gi, "'")
    .replace(/&amp;/gi, '&');
}

function clean(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const collapsed = text.replace(/\p{Cc}+/gu, ' ').replace(/\s+/g, ' ').trim();
  if (collapsed === '') return undefined;
  return collapsed.length > MAX_EXPLANATION ? `${collapsed.slice(0, MAX_EXPLANATION - 1)}…` : collapsed;
}

function joined(parts: (string | undefined)[]): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined && p.trim() !== '');
  return present.length === 0 ? undefined : present.join('; ');
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
