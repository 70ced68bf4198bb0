import type { FastifyRequest } from "fastify";
import type { Database } from "./db/client.js";
import { requireSession } from "./plugins/session.js";
import type { Role } from "./policy-table.js";

/**
 * Who acts: the account (its id is stored as who created or decided a row, its username in the audit
 * trail), its roles and organisation (the unit it reports for, none for the office), and the address the
 * request came from (also audited). A job acts as the account that queued it; the demo as its office.
 */
export interface Actor {
  id: string;
  username: string;
  roles: readonly Role[];
  /** The code of the actor's organisation; null for the assessment office's own people. */
  organisation: string | null;
  ip: string;
}

/** The signed-in caller of a request as an actor (401 without a session, like `authorize`). */
export function actorOf(request: FastifyRequest): Actor {
  const { user } = requireSession(request);
  return {
    id: user.id,
    username: user.username,
    roles: user.roles,
    organisation: user.organisationCode,
    ip: request.ip,
  };
}

/** The same actor acting from elsewhere (a job run later records where it ran, not where it was asked). */
export const actingFrom = (actor: Actor, ip: string): Actor => ({ ...actor, ip });

/** The two fields of an audit entry that name who acted and from where. */
export const auditedBy = (actor: Actor) => ({ actor: actor.username, ip: actor.ip });

/** What a command runs with besides its own props: the database (or the transaction it joins) and the clock. */
export interface CommandDeps {
  db: Database;
  now: () => Date;
}

/**
 * A command's context (Outline's `ctx`): its deps and who acts. Each command (modules/<m>/commands/*.ts)
 * takes it spread into one typed props object: `finaliseResults({ ...ctx, publicationId })`.
 */
export type CommandContext = CommandDeps & { actor: Actor };

/** The context of a command a request runs: the app's deps and the request's signed-in caller. */
export const commandContext = (deps: CommandDeps, request: FastifyRequest): CommandContext => ({
  ...deps,
  actor: actorOf(request),
});
