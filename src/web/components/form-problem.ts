import type { FormInstance } from "antd";
import { ApiError, type Problem } from "../services/http";

/**
 * Shows the server's RFC 9457 message at the form field it names (`problem.field`), when the form has
 * that field; returns the problem when it belongs to no field, for the caller to show as an Alert.
 */
export function problemAtField<T>(
  form: FormInstance<T>,
  error: unknown,
  fields: readonly string[],
): Problem | undefined {
  if (!(error instanceof ApiError)) return { title: String(error), status: 0 };
  const { problem } = error;
  if (problem.field && fields.includes(problem.field)) {
    form.setFields([{ name: problem.field as never, errors: [problem.title] }]);
    return undefined;
  }
  return problem;
}

/** The same, answering whether the message went to a field (false: the caller shows it as an Alert). */
export function showAtField(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  return problemAtField(form, error, fields) === undefined;
}

/** The server's title for an error, for an Alert (undefined for none). */
export const problemTitle = (error: unknown): string | undefined =>
  error instanceof ApiError ? error.problem.title : error instanceof Error ? error.message : undefined;
