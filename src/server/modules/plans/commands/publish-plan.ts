import { type MoveProps, moveVersion } from "./move-version.js";

/** Publishes the draft: units see it and reporting opens. */
export function publishPlan(props: MoveProps): Promise<void> {
  return moveVersion(props, "published");
}
