/** Media type without parameters, lower-cased; undefined when absent. */
function mediaType(contentType: string | null): string | undefined {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}

const TOKEN = "[a-z0-9!#$&^_.+-]+";
const JSON_TYPE = new RegExp(`^${TOKEN}/(json|${TOKEN}\\+json|json\\+scim)$`);

/** JSON-ish: application/json, application/scim+json, FusionAuth's application/json+scim, any +json. */
export function isJsonContentType(contentType: string | null): boolean {
  const type = mediaType(contentType);
  return type !== undefined && JSON_TYPE.test(type);
}

/** The media type as safe, short text for a message. */
export function describeContentType(contentType: string | null): string {
  const type = mediaType(contentType);
  return type === undefined ? 'no content type' : type.replace(/[^\x21-\x7e]/g, '?').slice(0, 80);
}
