import type { FormInstance } from "antd";
import { ApiError } from "../services/http";

/**
 * Puts the server's refusal (RFC 9457) at the form field it names, when the form has that field, and
 * answers true; otherwise answers false, and the caller shows the message as an Alert.
 */
export function showAtField(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const field = error.field;
  if (!field || !fields.includes(field)) return false;
  form.setFields([{ name: field, errors: [error.problem.title] }]);
  return true;
}

/** The server's title for an error, for an Alert (undefined for none). */
export const problemTitle = (error: unknown): string | undefined =>
  error instanceof ApiError ? error.problem.title : error instanceof Error ? error.message : undefined;
