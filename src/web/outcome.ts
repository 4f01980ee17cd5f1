import type { z } from 'zod';
import { AppError } from '../server/errors.js';

/** A service's refusal as a page shows it: the same code, message and field messages the API answers with. */
export interface ServiceError {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; status: number; error: ServiceError; headers: Record<string, string> };

const VALIDATION_MESSAGE = '提交的内容有误，请检查标注的字段';

/**
 * The page's input checked by the API route's own schema, with the API's 400 when it does not fit:
 * field keys like "body.writer.phone" or "querystring.after", as the JSON error handler names them.
 */
export function parsed<S extends z.ZodType>(schema: S, input: unknown, context: 'body' | 'querystring' | 'params'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = [context, ...issue.path.map(String)].join('.');
    fields[key] ??= issue.message;
  }
  throw new AppError(400, 'validation_failed', VALIDATION_MESSAGE, fields);
}

/** Runs a service call; its AppError (400 with fields, 403, 404, 409, 429, 503…) becomes the result a page renders. */
export async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, data: await call() };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const error: ServiceError = { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) };
    return { ok: false, status: err.statusCode, error, headers: err.headers ?? {} };
  }
}

/** "body.writer.phone" → "writer.phone"; "body.departmentIds.0" → "departmentIds" (the form's field names). */
export function formFieldsOf(fields: Record<string, string> | undefined, listFields: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(fields ?? {})) {
    let name = key.replace(/^(body|querystring|params)\./, '');
    const list = listFields.find((l) => name === l || name.startsWith(`${l}.`));
    if (list) name = list;
    out[name] ??= message;
  }
  return out;
}
