import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { Database } from "../../src/server/db/client.js";
import { type Role, userRoles, users } from "../../src/server/db/schema/index.js";
import { hashPassword } from "../../src/server/modules/accounts/passwords.js";

export const TEST_PASSWORD = "Test-Password-2022!";

export interface Client {
  username: string;
  userId: string;
  /** Sends a request as this user, with the session cookie and CSRF token (and any extra headers). */
  request(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Sends a raw body (a file upload) with the given content type, as this user. */
  send(
    method: "POST" | "PUT",
    url: string,
    body: Buffer | string,
    contentType: string,
  ): Promise<LightMyRequestResponse>;
  /** The same signed-in user talking to another app (another node of the service on the same database). */
  on(app: FastifyInstance): Client;
}

/** Creates an account with the given roles (password already changed) and signs it in. */
export async function signIn(
  app: FastifyInstance,
  db: Database,
  username: string,
  roles: Role[],
  organisationId: string | null = null,
): Promise<Client> {
  const [user] = await db
    .insert(users)
    .values({
      username,
      displayName: username,
      passwordHash: await hashPassword(TEST_PASSWORD),
      mustChangePassword: false,
      organisationId,
    })
    .returning({ id: users.id });
  if (roles.length) await db.insert(userRoles).values(roles.map((role) => ({ userId: user!.id, role })));
  return signInAs(app, username, TEST_PASSWORD);
}

/** Signs an existing account in (its password already changed). */
export async function signInAs(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const r = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { username, password },
  });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${r.body}`);
  const cookie = `kaohe_session=${r.cookies.find((c) => c.name === "kaohe_session")!.value}`;
  return client(app, username, r.json().user.id as string, cookie, r.json().csrfToken as string);
}

function client(
  app: FastifyInstance,
  username: string,
  userId: string,
  cookie: string,
  csrf: string,
): Client {
  return {
    username,
    userId,
    send: (method, url, body, contentType) =>
      app.inject({
        method,
        url,
        headers: { cookie, "x-csrf-token": csrf, "content-type": contentType },
        payload: body,
      }),
    request: (method, url, payload, headers) =>
      app.inject({
        method,
        url,
        headers: { ...headers, cookie, "x-csrf-token": csrf },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    on: (other) => client(other, username, userId, cookie, csrf),
  };
}
