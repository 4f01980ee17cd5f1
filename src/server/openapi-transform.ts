import { jsonSchemaTransform } from 'fastify-type-provider-zod';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];

/**
 * The zod transform, except that a 204 is documented as what it is on the wire: no content. (zod
 * renders `z.null()` as a nullable JSON value, and @fastify/swagger omits the content only for
 * `type: 'null'`.)
 */
export function openapiTransform(input: TransformInput) {
  const out = jsonSchemaTransform(input);
  const response = out.schema?.response as Record<string, unknown> | undefined;
  if (response?.['204']) response['204'] = { type: 'null', description: 'No content' };
  return out;
}
