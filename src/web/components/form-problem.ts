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
