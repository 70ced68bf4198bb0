/**
 * The one way the web app talks to the API: JSON in and out, the session cookie (same origin), the
 * CSRF token on every state change, the interface language as Accept-Language, and RFC 9457 problem
 * details turned into an ApiError that names the field at fault.
 */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code?: string;
  field?: string;
  detail?: string;
  [member: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
  get status() {
    return this.problem.status;
  }
  get code() {
    return this.problem.code;
  }
  get field() {
    return this.problem.field;
  }
}

let csrfToken: string | undefined;
let language = "zh-CN";

export const setCsrfToken = (token: string | undefined) => {
  csrfToken = token;
};
export const setRequestLanguage = (lang: string) => {
  language = lang;
};

/** Listeners told when a request finds the session gone (signed out elsewhere, or idle too long). */
const expiredListeners = new Set<() => void>();
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export async function api<T>(
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", "accept-language": language };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: "same-origin",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({
      title: language === "en" ? "Cannot reach the server" : "无法连接服务器",
      status: 0,
      code: "NETWORK",
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const problem: Problem =
      data && typeof data === "object" && "title" in data
        ? (data as Problem)
        : { title: response.statusText || String(response.status), status: response.status };
    if (response.status === 401 && !path.startsWith("/auth/login")) for (const l of expiredListeners) l();
    throw new ApiError(problem);
  }
  return data as T;
}

/**
 * Sends a file as a `multipart/form-data` form (field `file`) with the CSRF token and the language, telling
 * the upload's progress (0–100) as it goes; the answer or the server's problem as with api().
 */
export function apiForm<T>(
  path: string,
  file: Blob,
  filename: string,
  onProgress?: (percent: number) => void,
): Promise<T> {
  const form = new FormData();
  form.append("file", file, filename);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/v1${path}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.setRequestHeader("accept-language", language);
    if (csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () =>
      reject(
        new ApiError({
          title: language === "en" ? "Cannot reach the server" : "无法连接服务器",
          status: 0,
          code: "NETWORK",
        }),
      );
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      if (xhr.status === 401) for (const l of expiredListeners) l();
      reject(
        new ApiError(
          data && typeof data === "object" && "title" in data
            ? (data as Problem)
            : { title: xhr.statusText || String(xhr.status), status: xhr.status },
        ),
      );
    };
    xhr.send(form);
  });
}
/** The CSRF header for the requests api() does not make (a file sent as multipart/form-data). */
export const csrfHeader = (): Record<string, string> => (csrfToken ? { "x-csrf-token": csrfToken } : {});
