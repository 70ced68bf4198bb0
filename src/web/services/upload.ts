import { ApiError, csrfHeader, type Problem } from "./http";

/**
 * Sends one file as multipart/form-data (the browser's own form of a file), with the CSRF token and the
 * interface language; a refusal becomes an ApiError just as api() makes them (RFC 9457, with its field).
 */
export async function sendFile<T>(path: string, file: File, language: string): Promise<T> {
  const form = new FormData();
  form.append("file", file, file.name);
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { accept: "application/json", "accept-language": language, ...csrfHeader() },
    });
  } catch {
    throw new ApiError({
      title: language === "en" ? "Cannot reach the server" : "无法连接服务器",
      status: 0,
      code: "NETWORK",
    });
  }
  const data = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok)
    throw new ApiError(
      data && typeof data === "object" && "title" in data
        ? (data as Problem)
        : { title: response.statusText || String(response.status), status: response.status },
    );
  return data as T;
}
